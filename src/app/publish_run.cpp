#include "publish_run.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <spdlog/spdlog.h>
#include <string>

#include "ledger/atomic_output.hpp"
#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/metrics.hpp"
#include "ledger/report.hpp"

namespace ledger {
namespace {

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

}  // namespace

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void publish_run(const ReportSinks& sinks, const RunSummary& summary) {
    if (!sinks.report.empty()) {
        try {
            write_file_atomically(sinks.report, format_report_json(summary));
        } catch (const LedgerError& e) {
            spdlog::warn("run report not written: {}", one_line(e.what()));
        }
    }
    if (sinks.metrics_file.empty() && sinks.pushgateway.empty()) return;
    const std::string metrics = format_metrics(summary);
    if (!sinks.metrics_file.empty()) {
        try {
            write_file_atomically(sinks.metrics_file, metrics);
        } catch (const LedgerError& e) {
            spdlog::warn("metrics file not written: {}", one_line(e.what()));
        }
    }
    std::string error;
    if (!sinks.pushgateway.empty() && !push_metrics(sinks.pushgateway, metrics_instance(), metrics, &error))
        spdlog::warn("metrics not pushed to {}: {}", one_line(sinks.pushgateway), one_line(error));
}

}  // namespace ledger
