// The command line (spec: Running). Parsed identically on every rank; a bad one is ExitCode::usage.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/bad_rows.hpp"
#include "ledger/errors.hpp"
#include "ops/progress.hpp"

namespace ledger {

enum class IngestMode { root, parallel };
// The rejected file's columns: the spec's five (plain), or those then file, line and the extra input
// columns (traced; rejected_trace.hpp).
enum class RejectedColumns { plain, traced };

struct Options {
    std::string accounts;      // empty with --db
    std::string db;            // libpq connection string or URI: database mode (db_run.hpp)
    std::string run_id;        // with --db; empty: the SHA-256 of the transactions files
    std::vector<std::string> transactions;
    std::string output;
    std::string rejected;      // empty: not written
    RejectedColumns rejected_columns = RejectedColumns::plain;
    std::string report;
    std::string metrics_file;
    std::string pushgateway;
    BadRowPolicy on_bad_row = BadRowPolicy::fail;
    std::string quarantine;
    IngestMode ingest = IngestMode::parallel;
    std::string log_level = "info";
    ProgressMode progress = ProgressMode::automatic;
    // --fixed-scale: every amount written with this many fraction digits, and more in the input refused.
    // Unset: the most fraction digits in the input (spec: Outputs).
    std::optional<int> fixed_scale;

    bool show_help = false;
    bool show_version = false;
    std::string help_text;
};

// Where a run's report and metrics go. A bad command line that named them readably still gets them, so
// that a nightly job's monitoring sees the failure (spec: written for a failed run too).
struct ReportSinks {
    std::string report, metrics_file, pushgateway;
    bool any() const { return !report.empty() || !metrics_file.empty() || !pushgateway.empty(); }
};

// A bad command line (exit 2): the one-line reason, and the sinks it named, if they could be read.
class UsageError : public LedgerError {
public:
    UsageError(const std::string& message, ReportSinks named)
        : LedgerError(ExitCode::usage, message), sinks(std::move(named)) {}
    ReportSinks sinks;
};

// Throws UsageError with a one-line reason.
Options parse_options(int argc, const char* const argv[]);

inline ReportSinks report_sinks(const Options& o) { return {o.report, o.metrics_file, o.pushgateway}; }

// Every file a run writes, by option name: --output first (unless absent, with --db), then those given
// (none empty).
std::vector<std::pair<std::string, const std::string*>> output_files(const Options& o);

std::string_view ingest_name(IngestMode mode);

}  // namespace ledger
