// Command line of ledger-gen. Every knob of a workload is here, with the default a test would want if it
// does not care about that knob.
#pragma once

#include <cstdint>
#include <string>

namespace ledger_gen {

struct Options {
    std::string out_dir = ".";
    uint64_t accounts = 1000;
    uint64_t countries = 10;
    uint64_t transactions = 10000;
    uint64_t seed = 1;
    double zipf = 1.0;               // country-size skew; 0 = every country the same size
    int decimals = 2;                // fraction digits of amounts and balances
    double mixed_decimals = 0.0;     // share of values written with fewer fraction digits
    double disorder = 0.01;          // share of rows whose date is displaced out of order
    double cross_country = 0.02;
    double unknown = 0.01;
    double invalid_amount = 0.01;
    double self = 0.01;
    double equal_timestamps = 0.05;  // share of rows reusing the previous row's instant
    bool string_ids = false;
    bool offsets = false;            // mixed ISO-8601 forms instead of plain YYYY-MM-DDTHH:MM:SS
    bool messy = false;              // BOM, CRLF, quotes, padding, blank lines, no final newline
    bool shuffle_columns = false;    // per-file column order plus an ignored extra column
    uint64_t files = 1;
    uint64_t bad_rows = 0;
};

// Parses argv. Prints help and exits 0 on --help; prints one line and exits 2 on a bad command line.
Options parse_options(int argc, char** argv);

}  // namespace ledger_gen
