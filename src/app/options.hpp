// The command line (spec: Running). Parsed identically on every rank; a bad one is ExitCode::usage.
#pragma once

#include <string>
#include <vector>

#include "ledger/bad_rows.hpp"
#include "ops/progress.hpp"

namespace ledger {

enum class IngestMode { root, parallel };

struct Options {
    std::string accounts;
    std::vector<std::string> transactions;
    std::string output;
    std::string rejected;      // empty: not written
    std::string report;
    std::string metrics_file;
    std::string pushgateway;
    BadRowPolicy on_bad_row = BadRowPolicy::fail;
    std::string quarantine;
    IngestMode ingest = IngestMode::parallel;
    std::string log_level = "info";
    ProgressMode progress = ProgressMode::automatic;

    bool show_help = false;
    bool show_version = false;
    std::string help_text;
};

// Throws LedgerError(usage) with a one-line reason.
Options parse_options(int argc, const char* const argv[]);

std::string_view ingest_name(IngestMode mode);

}  // namespace ledger
