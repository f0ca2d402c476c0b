#include "ledger/run_summary.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "ledger/csv.hpp"

namespace ledger {

std::string format_utc(double unix_seconds) {
    // A clock that failed gives NaN; the report must still be valid JSON, so it says 1970 rather than
    // throwing in the middle of writing a failed run's report.
    if (!std::isfinite(unix_seconds)) unix_seconds = 0;
    // Four-digit years only (0000..9999), which also keeps the millisecond count far from overflow.
    unix_seconds = std::clamp(unix_seconds, -62'167'219'200.0, 253'402'300'799.0);

    // Round once, to whole milliseconds, so that 0.9996 s becomes the next second instead of ".1000".
    const auto total_ms = static_cast<int64_t>(std::llround(unix_seconds * 1000.0));
    const int64_t ms_per_day = 86'400'000;
    int64_t days = total_ms / ms_per_day;
    int64_t ms_of_day = total_ms % ms_per_day;
    if (ms_of_day < 0) {  // instants before 1970 belong to the previous day
        ms_of_day += ms_per_day;
        days -= 1;
    }

    using namespace std::chrono;
    const year_month_day date{sys_days{std::chrono::days{days}}};
    const int64_t seconds_of_day = ms_of_day / 1000;
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(seconds_of_day / 3600),
                  int(seconds_of_day / 60 % 60), int(seconds_of_day % 60), int(ms_of_day % 1000));
    return text;
}

std::string counted(uint64_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string run_summary_line(const RunSummary& summary, int ranks, double elapsed_seconds, std::string_view output) {
    uint64_t rejected = 0;
    for (const uint64_t n : summary.rejected) rejected += n;
    char timing[96];
    std::snprintf(timing, sizeof timing, " in %.3f s (%.0f transfers/s)", elapsed_seconds,
                  double(summary.transfers) / std::max(elapsed_seconds, 1e-9));
    return counted(summary.transfers, "transfer", "transfers") + " (" + std::to_string(summary.accepted) +
           " accepted, " + std::to_string(rejected) + " rejected, " + counted(summary.bad_rows, "bad row", "bad rows") +
           ") in " + counted(summary.countries, "country", "countries") + " on " +
           counted(uint64_t(std::max(ranks, 0)), "rank", "ranks") + timing +
           "; conservation holds in every country; balances in " +
           (output == "-" ? std::string("stdout") : one_line(output));
}

}  // namespace ledger
