// A run in database mode (--db): the ordinary job between a read from and a write back to PostgreSQL.
// The job itself is not changed: rank 0 exports the accounts table to an accounts CSV in a private
// staging directory beside the outputs (every rank reads that file, so it must be where every rank can
// see it), the job runs on it with its balances and rejected transfers staged there too, and after it
// succeeded rank 0 writes them back in the transaction that read the table (src/db/database.hpp).
#pragma once

#include "ledger/mpi/exchange.hpp"
#include "ledger/run_summary.hpp"
#include "options.hpp"

namespace ledger {

// Same contract as run_job: the exit code, the same on every rank; rank 0 fills the summary.
int run_db_job(const Options& options, mpi::Exchange& exchange, RunSummary& summary);

// The command line with the value of --db shown without its password (reports, logs).
std::vector<std::string> command_line_without_secrets(int argc, const char* const argv[]);

}  // namespace ledger
