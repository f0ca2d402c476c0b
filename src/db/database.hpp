// Database mode (spec: Database mode): the accounts in PostgreSQL. Everything that speaks to the database
// is behind this header, and only src/db links libpq (the rest of the program builds without it).
//
// One session does a run's whole database work, in ONE transaction from the read to the commit:
//   applied_at (no lock) -> begin_locked -> export_accounts -> ... the job runs ... -> write_balances
//   -> applied_at again, under the lock -> record_run -> commit.
// The table lock taken at the start (SHARE ROW EXCLUSIVE: readers go on, writers wait) is held until the
// commit, so the balances the run read are the ones it replaces: a second run, or anyone else writing to
// ledger.accounts, waits for this one, and no update can be lost. A connection that dies, a killed
// process, a failed statement: the server rolls the transaction back and nothing of the run is visible.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ledger::db {

// The connection string with any password left out, for the command line in reports and logs;
// "(not a valid connection string)" when libpq cannot parse it.
std::string redact_conninfo(const std::string& conninfo);

// Hex SHA-256 of the transactions files: of all their bytes in the order given (the default run id) and
// of each file. Throws LedgerError(io) for a file that cannot be read.
struct TransactionsDigest {
    std::string all_files;
    std::vector<std::string> per_file;
};
// `between_blocks` is called before each 4 MiB block is read; it may wait, or throw to stop the work.
TransactionsDigest digest_files(const std::vector<std::string>& paths,
                                const std::function<void()>& between_blocks = [] {});

// The digest, made on a thread of its own that can be held between blocks. Hashing a day's files takes
// a core for about a second per 1.5 GB: it is given one while rank 0 only waits for the server (during
// the write-back's UPDATE the client is idle and the server uses one core), not while the job's ranks
// want every core.
class TransactionsHasher {
public:
    // Starts hashing at once, or held until go_on() when `start_held`.
    TransactionsHasher(std::vector<std::string> paths, bool start_held);
    ~TransactionsHasher();  // stops at the next block and waits for the thread
    TransactionsHasher(const TransactionsHasher&) = delete;
    TransactionsHasher& operator=(const TransactionsHasher&) = delete;

    void hold();   // from the next block on
    void go_on();
    // The digest if it is done, without waiting.
    std::optional<TransactionsDigest> done() const;
    // Lets it go on and waits for it. Rethrows what the hashing threw (LedgerError(io)).
    TransactionsDigest result();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// What the runs table records of an applied run (db/schema.sql).
struct RunRecord {
    std::string run_id;
    std::vector<std::string> files;
    std::vector<std::string> files_sha256;
    double started_unix_seconds = 0;
    int ranks = 0;
    uint64_t accounts = 0, transfers = 0, accepted = 0, rejected = 0, bad_rows = 0;
    std::optional<std::string> amount_moved;
    std::string ledger_version;
};

class Session {
public:
    // Connects. Throws LedgerError(io) with one line that names the database (never the password), or
    // LedgerError(usage) for a connection string libpq cannot parse.
    explicit Session(const std::string& conninfo);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // "database 'x' on host 'y'" (or on the socket directory), for messages.
    std::string describe() const;

    // When the run was applied (ISO-8601 UTC), if it was.
    std::optional<std::string> applied_at(const std::string& run_id);

    // BEGIN and lock ledger.accounts against writers until commit or rollback. `on_wait` is called once
    // if another session holds the lock, before waiting for it.
    void begin_locked(const std::function<void()>& on_wait);

    // Writes ledger.accounts, in account_number byte order, to `csv_path` as an accounts CSV (header
    // accountNumber,country,balance). Every value is checked first: a value the job could not read the same
    // way is LedgerError(bad_input) naming the account, and so is a balance with more fraction digits than
    // `max_fraction_digits` (--fixed-scale). Returns the number of accounts.
    uint64_t export_accounts(const std::string& csv_path, int max_fraction_digits);

    // Inside the transaction: the closing balances (a balances CSV) replace the table's. Throws
    // LedgerError(bad_input) naming the account if the column cannot hold a balance exactly.
    void write_balances(const std::string& balances_csv);
    // Inside the transaction: the runs row and the rejected transfers (a rejected CSV, or "" for none).
    void record_run(const std::string& rejected_csv, const RunRecord& run);

    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ledger::db
