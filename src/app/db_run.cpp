#include "db_run.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "db/database.hpp"
#include "job.hpp"
#include "ledger/atomic_output.hpp"
#include "ledger/csv.hpp"
#include "ledger/decimal.hpp"
#include "ledger/input_file.hpp"
#include "step.hpp"

namespace ledger {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A private directory for the run's temporary files, removed with them when the run is over. A run
// ended by a signal leaves it behind: `.ledger-db-*` beside the outputs is always safe to delete.
class Staging {
public:
    void create(const std::string& beside) {
        std::string pattern = beside + "/.ledger-db-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            fail(ExitCode::io, "cannot create a staging directory in '" + beside + "': " + std::strerror(errno));
        dir_ = pattern;
    }
    ~Staging() {
        if (dir_.empty()) return;
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    std::string path(const char* name) const { return dir_ + "/" + name; }
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
};

// Where the staging directory goes: beside --output, which is where the run writes anyway; without one,
// or when it is a device or FIFO (/dev/stdout), the working directory, which mpirun and srun give every
// rank alike.
std::string staging_parent(const Options& options) {
    struct stat st;
    if (options.output.empty() || (::stat(options.output.c_str(), &st) == 0 && !S_ISREG(st.st_mode))) return ".";
    const auto slash = options.output.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : options.output.substr(0, slash);
}

// Puts a staged output at the path the user asked for: renamed when it can be (the same file system, a
// path that is or will be a regular file), copied through AtomicOutputs otherwise (a device, a FIFO,
// another file system).
void place_output(const std::string& staged, const std::string& wanted) {
    struct stat st;
    const bool special = ::stat(wanted.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
    if (!special && ::rename(staged.c_str(), wanted.c_str()) == 0) return;
    if (!special && errno != EXDEV) fail(ExitCode::io, "cannot write output '" + wanted + "': " + std::strerror(errno));
    const InputFile content(staged);
    write_file_atomically(wanted, content.text());
}

// Test-only (tests/e2e/db_faults.sh): holds the write-back transaction open, all of it written, for the
// given seconds before the commit, so that a test can kill the run inside that window reliably.
void pause_before_commit_for_tests() {
    const char* seconds = std::getenv("LEDGER_TEST_PAUSE_BEFORE_COMMIT_SECONDS");
    if (!seconds || !*seconds) return;
    std::fprintf(stderr, "ledger: test pause before commit\n");
    std::this_thread::sleep_for(std::chrono::duration<double>(std::strtod(seconds, nullptr)));
}

int agreed_exit(RunSummary& summary, const AgreedFailure& agreed) {
    summary.ok = false;
    summary.exit_code = int(agreed.failure.code);
    summary.error = agreed.failure.message;
    return summary.exit_code;
}

// What an already applied run reports: nothing applied, as when it stops before the job.
void forget_results(RunSummary& summary) {
    summary.accounts = summary.countries = summary.transfers = summary.accepted = summary.bad_rows = 0;
    summary.rejected = {};
    summary.amount_moved.reset();
}

uint64_t total_rejected(const RunSummary& summary) {
    uint64_t n = 0;
    for (uint64_t r : summary.rejected) n += r;
    return n;
}

}  // namespace

std::vector<std::string> command_line_without_secrets(int argc, const char* const argv[]) {
    std::vector<std::string> out(argv, argv + argc);
    for (size_t i = 1; i < out.size(); ++i) {
        if (out[i] == "--db" && i + 1 < out.size()) out[i + 1] = db::redact_conninfo(out[i + 1]);
        else if (out[i].starts_with("--db=")) out[i] = "--db=" + db::redact_conninfo(out[i].substr(5));
    }
    return out;
}

int run_db_job(const Options& options, mpi::Exchange& exchange, RunSummary& summary) {
    std::unique_ptr<db::Session> session;  // rank 0's
    std::optional<db::TransactionsHasher> hashing;  // rank 0's
    Staging staging;                       // rank 0 makes and removes it; the others learn its path
    db::RunRecord run;
    bool checked_under_lock = false;
    std::string applied_at;
    std::string staging_dir;
    StageSeconds db_stages;
    const auto take_digest = [&run](const db::TransactionsDigest& digest) {
        run.files_sha256 = digest.per_file;
        if (run.run_id.empty()) run.run_id = digest.all_files;
    };
    try {
        root_step(exchange, [&] {
            const auto read_started = std::chrono::steady_clock::now();
            // Before any heavy work, as the job itself does: a bad output path fails in a second.
            for (const std::string* path : {&options.output, &options.rejected})
                if (!path->empty()) check_output_path(*path);
            // The read keeps two cores busy when the server is on this machine (the server and this
            // client): only a third core hashes for nothing. Otherwise the hash waits for the write-back.
            hashing.emplace(options.transactions, std::thread::hardware_concurrency() <= 2);
            run.files = options.transactions;
            run.run_id = options.run_id;
            session = std::make_unique<db::Session>(options.db);
            // A named run is checked without the lock first, so that a re-run says so at once.
            if (!run.run_id.empty())
                if (auto at = session->applied_at(run.run_id)) {
                    applied_at = *at;
                    return;
                }
            session->begin_locked([&] {
                spdlog::info("{}: another run holds ledger.accounts; waiting for it to finish", session->describe());
            });
            staging.create(staging_parent(options));
            summary.accounts =
                session->export_accounts(staging.path("accounts.csv"), options.fixed_scale.value_or(kMaxScale));
            db_stages.emplace_back("db_read", seconds_since(read_started));  // connect, lock, COPY out
            // Checked again under the lock, in case a run with the same id committed while this one waited;
            // here if the id is known (named, or the hash done), else after the job.
            if (auto digest = hashing->done()) take_digest(*digest);
            else hashing->hold();  // the job's ranks want every core
            if (!run.run_id.empty()) {
                checked_under_lock = true;
                if (auto at = session->applied_at(run.run_id)) applied_at = *at;
            }
        });
        // Rank 0 tells the others what it found: "A" (already applied) or "R" and the staging directory.
        mpi::Bytes shared;
        if (exchange.is_root()) {
            const std::string message = applied_at.empty() ? "R" + staging.dir() : "A";
            shared.assign(message.begin(), message.end());
        }
        exchange.broadcast_from_root(shared);
        if (!shared.empty() && shared[0] == 'R') staging_dir.assign(shared.begin() + 1, shared.end());
    } catch (const AgreedFailure& agreed) {
        return agreed_exit(summary, agreed);
    }
    const auto say_already_applied = [&] {
        std::fprintf(stderr, "ledger: run %s already applied at %s to the %s; nothing changed\n",
                     one_line(run.run_id).c_str(), applied_at.c_str(), session->describe().c_str());
    };
    if (staging_dir.empty()) {
        if (exchange.is_root()) say_already_applied();
        summary.ok = true;
        summary.exit_code = 0;
        return 0;
    }

    Options job = options;
    job.accounts = staging_dir + "/accounts.csv";
    job.output = staging_dir + "/balances.csv";
    job.rejected = staging_dir + "/rejected.csv";  // the database keeps every run's rejected transfers
    summary.stages_seconds = db_stages;
    const int code = run_job(job, exchange, summary);
    if (code != 0) return code;  // the transaction is rolled back as the session closes

    try {
        root_step(exchange, [&] {
            const auto write_started = std::chrono::steady_clock::now();
            hashing->go_on();  // alongside the UPDATE, which keeps the server busy and this client idle
            session->write_balances(job.output);
            const auto hash_waited = std::chrono::steady_clock::now();
            take_digest(hashing->result());
            summary.stages_seconds.emplace_back("db_hash", seconds_since(hash_waited));  // what was not hidden
            if (!checked_under_lock)
                if (auto at = session->applied_at(run.run_id)) {
                    applied_at = *at;  // rolled back as the session closes: the balances written go
                    return;
                }
            run.started_unix_seconds = summary.started_unix_seconds;
            run.ranks = exchange.size();
            run.accounts = summary.accounts;
            run.transfers = summary.transfers;
            run.accepted = summary.accepted;
            run.rejected = total_rejected(summary);
            run.bad_rows = summary.bad_rows;
            run.amount_moved = summary.amount_moved;
            run.ledger_version = summary.version;
            session->record_run(job.rejected, run);
            summary.stages_seconds.emplace_back("db_write_back", seconds_since(write_started));
            pause_before_commit_for_tests();
            const auto commit_started = std::chrono::steady_clock::now();
            session->commit();
            summary.stages_seconds.emplace_back("db_commit", seconds_since(commit_started));
            // After the commit: the database is the record; a file that cannot be put in place now is an
            // error of this run, but the run stays applied (a re-run says so).
            try {
                if (!options.output.empty()) place_output(job.output, options.output);
                if (!options.rejected.empty()) place_output(job.rejected, options.rejected);
            } catch (const LedgerError& e) {
                fail(e.code(), std::string(e.what()) + " (run " + run.run_id + " is applied to the database)");
            }
            if (!summary.ranks.empty()) summary.ranks[0].stages_seconds = summary.stages_seconds;
        });
    } catch (const AgreedFailure& agreed) {
        return agreed_exit(summary, agreed);
    }
    if (exchange.is_root() && !applied_at.empty()) {
        // Found only now (a run named by its hash, on a machine with no core to spare for it during the
        // read): the job ran, nothing of it is kept, and the report says nothing was applied.
        say_already_applied();
        forget_results(summary);
        return 0;
    }
    if (exchange.is_root())
        spdlog::info("run {} applied to the {}: {} accounts, {} transfers ({} rejected)", run.run_id,
                     session->describe(), summary.accounts, summary.transfers, total_rejected(summary));
    return 0;
}

}  // namespace ledger
