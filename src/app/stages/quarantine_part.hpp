// Stage 5c: the quarantine file in input order (the accounts file, then the transactions files as given,
// each by line). A rank's bad rows of one file are one contiguous run of that file's, after those of the
// lower ranks, so each rank writes one piece per input file at offsets from the ranks' byte counts.
#pragma once

#include <vector>

#include "ledger/bad_rows.hpp"
#include "ledger/mpi/exchange.hpp"
#include "output_part.hpp"

namespace ledger {

// Collective. `rows` are this rank's bad rows of every input (file_index 0 the accounts file), in any
// order; `inputs` is the number of input files.
OutputPart quarantine_part(std::vector<BadRow> rows, size_t inputs, mpi::Exchange& exchange);

}  // namespace ledger
