// ledger: the entry point on every rank. It owns the two things that must happen in exactly one place:
// turning a failure into one message and one exit code, and writing the report and metrics of the run
// (which are written for failed runs too).
#include <malloc.h>
#include <unistd.h>

#include <climits>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <spdlog/spdlog.h>

#include "job.hpp"
#include "ledger/atomic_output.hpp"
#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_file.hpp"
#include "ledger/metrics.hpp"
#include "ledger/report.hpp"
#include "ops/logging.hpp"
#include "options.hpp"

namespace {

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The Pushgateway keeps one group per instance forever, so the instance must not change from run to run:
// under Slurm rank 0 lands on a different node each night. LEDGER_INSTANCE names it; else the Slurm
// cluster; else this host.
std::string metrics_instance() {
    for (const char* variable : {"LEDGER_INSTANCE", "SLURM_CLUSTER_NAME"})
        if (const char* value = std::getenv(variable); value && *value) return value;
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

void describe_inputs(const ledger::Options& options, ledger::RunSummary& summary) {
    std::vector<std::string> paths{options.accounts};
    paths.insert(paths.end(), options.transactions.begin(), options.transactions.end());
    for (const std::string& path : paths) {
        uint64_t bytes = 0;
        try {
            bytes = ledger::input_file_size(path);
        } catch (const ledger::LedgerError&) {
            // a missing input is the run's error, reported by the job itself
        }
        summary.inputs.push_back({path, bytes});
    }
}

// The report and the metrics are how operators learn that a run failed, so trouble writing them is
// logged but never turns a good run into a failed one, nor hides the run's own error.
void publish_run(const ledger::ReportSinks& sinks, const ledger::RunSummary& summary) {
    if (!sinks.report.empty()) {
        try {
            ledger::write_file_atomically(sinks.report, ledger::format_report_json(summary));
        } catch (const ledger::LedgerError& e) {
            spdlog::warn("run report not written: {}", e.what());
        }
    }
    if (sinks.metrics_file.empty() && sinks.pushgateway.empty()) return;
    const std::string metrics = ledger::format_metrics(summary);
    if (!sinks.metrics_file.empty()) {
        try {
            ledger::write_file_atomically(sinks.metrics_file, metrics);
        } catch (const ledger::LedgerError& e) {
            spdlog::warn("metrics file not written: {}", e.what());
        }
    }
    std::string error;
    if (!sinks.pushgateway.empty() && !ledger::push_metrics(sinks.pushgateway, metrics_instance(), metrics, &error))
        spdlog::warn("metrics not pushed to {}: {}", sinks.pushgateway, error);
}

ledger::RunSummary started_summary(int argc, char* argv[]) {
    ledger::RunSummary summary;
    summary.version = LEDGER_VERSION;
    summary.started_unix_seconds = unix_now();
    summary.command_line.assign(argv, argv + argc);
    return summary;
}

}  // namespace

// Fresh pages are the job's dearest resource: each costs a page fault on first touch, which is slow on
// virtualised hosts (2-8 ms per MiB measured on the virtual machines this was built on). The stages
// allocate and free large record buffers one after another; keeping freed memory in the heap, instead of
// returning it to the kernel, lets each stage reuse the pages of the one before.
void keep_freed_memory_for_reuse() {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
}

int main(int argc, char* argv[]) {
    keep_freed_memory_for_reuse();
    boost::mpi::environment env(argc, argv);
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
                summary.finished_unix_seconds = unix_now();
                summary.exit_code = int(e.code());
                summary.error = e.what();
                publish_run(e.sinks, summary);
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

    ledger::mpi::Exchange exchange(world);
    const int exit_code = ledger::run_job(options, exchange, summary);

    if (speaks) {
        summary.finished_unix_seconds = unix_now();
        if (exit_code != 0)
            std::fprintf(stderr, "ledger: error: %s\n", ledger::one_line(summary.error.value_or("failed")).c_str());
        publish_run(ledger::report_sinks(options), summary);
    }
    return exit_code;
}
