#include "options.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ledger_gen {
namespace {

constexpr const char* kHelp = R"(ledger-gen: writes a synthetic ledger workload (accounts.csv, transactions.csv).

Usage: ledger-gen [--name value ...]

  --out-dir DIR            where the files go (default .)
  --accounts N             accounts (default 1000)
  --countries N            countries, at most --accounts (default 10)
  --transactions N         transfers, bad rows not counted (default 10000)
  --seed S                 the same seed gives the same bytes (default 1)
  --zipf S                 country-size skew of accounts and transfers; 0 = uniform (default 1.0)
  --decimals D             fraction digits of amounts and balances, 0..18 (default 2)
  --mixed-decimals F       share of values written with fewer fraction digits (default 0)
  --disorder F             share of rows whose date is displaced out of order (default 0.01)
  --cross-country F        share of transfers to another country (default 0.02)
  --unknown F              share of transfers naming an account not in accounts.csv (default 0.01)
  --invalid-amount F       share of zero or negative amounts (default 0.01)
  --self F                 share of transfers with from == to (default 0.01)
  --equal-timestamps F     share of rows reusing the previous row's instant exactly (default 0.05)
  --string-ids             ids like ACC-00042-x instead of integer-looking ids
  --offsets                dates in mixed ISO-8601 forms: Z, +HH:MM, fractions, lower case, space
  --messy                  BOM, CRLF, quoted and padded fields, blank lines, no final newline
  --shuffle-columns        a different column order per file plus an ignored extra column
  --files K                split transfers into transactions-1.csv..K (default 1: transactions.csv)
  --bad-rows N             add N malformed transaction rows, for --on-bad-row skip tests (default 0)
  --help                   this text

Invariants tests may rely on, for one seed: --bad-rows, --messy, --shuffle-columns and --files do not
change the good transfers or their order (the files split the one sequence into consecutive chunks), and
bad rows carry amounts with one more fraction digit than --decimals, so they must not change the scale.
)";

[[noreturn]] void usage_error(std::string_view what, std::string_view value = {}) {
    std::fprintf(stderr, "ledger-gen: %.*s%s%.*s (try --help)\n", int(what.size()), what.data(),
                 value.empty() ? "" : ": ", int(value.size()), value.data());
    std::exit(2);
}

uint64_t to_count(std::string_view name, std::string_view text, uint64_t lo, uint64_t hi) {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi) {
        usage_error(std::string(name) + " wants an integer in " + std::to_string(lo) + ".." + std::to_string(hi),
                    text);
    }
    return value;
}

double to_real(std::string_view name, std::string_view text, double lo, double hi) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !(value >= lo && value <= hi)) {
        char range[64];
        std::snprintf(range, sizeof range, " wants a number in %g..%g", lo, hi);
        usage_error(std::string(name) + range, text);
    }
    return value;
}

double to_fraction(std::string_view name, std::string_view text) { return to_real(name, text, 0.0, 1.0); }

// Returns false when `name` is not a flag; flags take no value.
bool apply_flag(Options& o, std::string_view name) {
    if (name == "--string-ids") return o.string_ids = true;
    if (name == "--offsets") return o.offsets = true;
    if (name == "--messy") return o.messy = true;
    if (name == "--shuffle-columns") return o.shuffle_columns = true;
    return false;
}

constexpr std::string_view kValueOptions[] = {
    "--out-dir", "--accounts", "--countries", "--transactions", "--seed", "--zipf", "--decimals",
    "--mixed-decimals", "--disorder", "--cross-country", "--unknown", "--invalid-amount", "--self",
    "--equal-timestamps", "--files", "--bad-rows"};

bool is_value_option(std::string_view name) {
    for (std::string_view known : kValueOptions) {
        if (name == known) return true;
    }
    return false;
}

void apply_value(Options& o, std::string_view name, std::string_view v) {
    // 2^32 transfers at 30 s apart on average end around the year 6000: dates stay within 0000-9999.
    constexpr uint64_t kMaxTransfers = uint64_t{1} << 32;
    constexpr uint64_t kMaxBadRows = 100'000'000;  // their positions are held in memory
    if (name == "--out-dir") o.out_dir = std::string(v);
    else if (name == "--accounts") o.accounts = to_count(name, v, 1, uint64_t{1} << 32);
    else if (name == "--countries") o.countries = to_count(name, v, 1, uint64_t{1} << 24);
    else if (name == "--transactions") o.transactions = to_count(name, v, 0, kMaxTransfers);
    else if (name == "--seed") o.seed = to_count(name, v, 0, UINT64_MAX);
    else if (name == "--zipf") o.zipf = to_real(name, v, 0.0, 10.0);
    else if (name == "--decimals") o.decimals = int(to_count(name, v, 0, 18));
    else if (name == "--mixed-decimals") o.mixed_decimals = to_fraction(name, v);
    else if (name == "--disorder") o.disorder = to_fraction(name, v);
    else if (name == "--cross-country") o.cross_country = to_fraction(name, v);
    else if (name == "--unknown") o.unknown = to_fraction(name, v);
    else if (name == "--invalid-amount") o.invalid_amount = to_fraction(name, v);
    else if (name == "--self") o.self = to_fraction(name, v);
    else if (name == "--equal-timestamps") o.equal_timestamps = to_fraction(name, v);
    else if (name == "--files") o.files = to_count(name, v, 1, 10000);
    else if (name == "--bad-rows") o.bad_rows = to_count(name, v, 0, kMaxBadRows);
    else usage_error("unknown option", name);  // unreachable while kValueOptions matches
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kHelp, stdout);
            std::exit(0);
        }
        if (!arg.starts_with("--")) usage_error("unexpected argument", arg);
        if (apply_flag(o, arg)) continue;
        std::string_view name = arg, value;
        if (size_t eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            if (!is_value_option(name)) usage_error("unknown option", name);
        } else {
            if (!is_value_option(name)) usage_error("unknown option", name);
            if (i + 1 >= argc) usage_error("missing value for", arg);
            value = argv[++i];
        }
        apply_value(o, name, value);
    }
    if (o.countries > o.accounts) usage_error("--countries must not exceed --accounts");
    if (o.files > 1 && o.files > o.transactions) usage_error("--files must not exceed --transactions");
    return o;
}

}  // namespace ledger_gen
