// ledger: the entry point on every rank. It owns the two things that must happen in exactly one place:
// turning a failure into one message and one exit code, and writing the report and metrics of the run
// (which are written for failed runs too).
#include <malloc.h>

#include <climits>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <cstdio>
#include <optional>

#include "db_run.hpp"
#include "job.hpp"
#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_file.hpp"
#include "ops/logging.hpp"
#include "options.hpp"
#include "publish_run.hpp"
#include "termination_report.hpp"

namespace {

void describe_inputs(const ledger::Options& options, ledger::RunSummary& summary) {
    std::vector<std::string> paths;
    if (!options.accounts.empty()) paths.push_back(options.accounts);  // none with --db
    paths.insert(paths.end(), options.transactions.begin(), options.transactions.end());
    for (const std::string& path : paths) {
        uint64_t bytes = 0;
        try {
            bytes = ledger::input_file_size(path);
        } catch (const ledger::LedgerError&) {
            // a missing input is the run's error, reported by the job itself
        }
        summary.inputs.push_back({path, bytes, std::nullopt});  // the digest comes once the file is read
    }
}

ledger::RunSummary started_summary(int argc, char* argv[]) {
    ledger::RunSummary summary;
    summary.version = LEDGER_VERSION;
    summary.started_unix_seconds = ledger::unix_now();
    summary.command_line = ledger::command_line_without_secrets(argc, argv);  // --db may hold a password
    return summary;
}

}  // namespace

// Fresh pages are the job's dearest resource: each costs a page fault on first touch, which is slow on
// virtualised hosts (2-8 ms per MiB measured on the virtual machines this was built on). The stages
// allocate and free large record buffers one after another; keeping freed memory in the heap, instead of
// returning it to the kernel, lets each stage reuse the pages of the one before.
// One heap for every thread, too: a second one would be mapped at the termination report thread's first
// allocation, under the address space's lock, which the run may hold for seconds while it populates a
// record vector; and it would reserve 64 MiB of address space against a ulimit -v.
void keep_freed_memory_for_reuse() {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_ARENA_MAX, 1);
}

int main(int argc, char* argv[]) {
    keep_freed_memory_for_reuse();
    // Funneled: a rank has a second thread (the termination report's), which never calls MPI.
    boost::mpi::environment env(argc, argv, boost::mpi::threading::funneled);
    boost::mpi::communicator world;
    const bool speaks = world.rank() == 0;

    ledger::Options options;
    try {
        options = ledger::parse_options(argc, argv);
    } catch (const ledger::UsageError& e) {
        // Every rank parses the same command line, so every rank fails the same way; one speaks.
        if (speaks) {
            std::fprintf(stderr, "ledger: error: %s\n", ledger::one_line(e.what()).c_str());
            if (e.sinks.any()) {
                ledger::RunSummary summary = started_summary(argc, argv);
                summary.finished_unix_seconds = ledger::unix_now();
                summary.exit_code = int(e.code());
                summary.error = e.what();
                ledger::publish_run(e.sinks, summary);
            }
        }
        return int(e.code());
    }
    if (options.show_help || options.show_version) {
        if (speaks && options.show_help) std::fputs(options.help_text.c_str(), stdout);
        if (speaks && options.show_version) std::printf("ledger %s\n", LEDGER_VERSION);
        return 0;
    }
    ledger::init_logging(world.rank(), world.size(), options.log_level);

    ledger::RunSummary summary = started_summary(argc, argv);
    summary.ingest = std::string(ledger::ingest_name(options.ingest));
    if (speaks) describe_inputs(options, summary);
    // From here a SIGTERM (Slurm's time limit) still gets a report saying the run failed.
    std::optional<ledger::TerminationReport> termination_report;
    termination_report.emplace(speaks, ledger::report_sinks(options), summary);

    ledger::mpi::Exchange exchange(world);
    const int exit_code = options.db.empty() ? ledger::run_job(options, exchange, summary)
                                             : ledger::run_db_job(options, exchange, summary);

    termination_report.reset();  // disarmed: the run's own report follows
    if (speaks) {
        summary.finished_unix_seconds = ledger::unix_now();
        if (exit_code != 0)
            std::fprintf(stderr, "ledger: error: %s\n", ledger::one_line(summary.error.value_or("failed")).c_str());
        ledger::publish_run(ledger::report_sinks(options), summary);
    }
    return exit_code;
}
