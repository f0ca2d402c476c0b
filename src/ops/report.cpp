#include "ledger/report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace ledger {
namespace {

// ordered_json keeps keys in the order written, so the report reads top-down like the spec lists it.
using Json = nlohmann::ordered_json;

// Microseconds: timers summed in doubles carry float noise below that (0.0015811050000000002).
double tidy_seconds(double seconds) { return std::round(seconds * 1e6) / 1e6; }

Json stages_json(const StageSeconds& stages) {
    Json out = Json::object();
    for (const auto& [stage, seconds] : stages) out[stage] = tidy_seconds(seconds);
    return out;
}

Json rejected_json(const RunSummary& s) {
    Json out = Json::object();
    // Every reason is listed, zeros included, so that a consumer can tell "none rejected" from "unknown".
    for (int r = 1; r < kReasonCount; ++r) out[std::string(reason_name(static_cast<Reason>(r)))] = s.rejected[r];
    return out;
}

Json counts_json(const RunSummary& s) {
    Json out = Json::object();
    out["accounts"] = s.accounts;
    out["countries"] = s.countries;
    out["transfers"] = s.transfers;
    out["accepted"] = s.accepted;
    out["rejected"] = rejected_json(s);
    out["bad_rows"] = s.bad_rows;
    return out;
}

Json inputs_json(const std::vector<InputSummary>& inputs) {
    Json out = Json::array();
    for (const auto& input : inputs)
        out.push_back(Json{{"path", input.path},
                           {"bytes", input.bytes},
                           {"xxh3_128", input.xxh3_128 ? Json(*input.xxh3_128) : Json(nullptr)}});
    return out;
}

Json ranks_json(const std::vector<RankSummary>& ranks) {
    Json out = Json::array();
    for (const auto& r : ranks) {
        Json rank = Json::object();
        rank["rank"] = r.rank;
        rank["countries"] = r.countries;
        rank["transfers"] = r.transfers;
        rank["bytes_sent"] = r.bytes_sent;
        rank["bytes_received"] = r.bytes_received;
        rank["peak_rss_bytes"] = r.peak_rss_bytes;
        rank["accounts_held"] = r.accounts_held;
        rank["input_bytes_parsed"] = r.input_bytes_parsed;
        rank["output_bytes_written"] = r.output_bytes_written;
        rank["stages_seconds"] = stages_json(r.stages_seconds);
        out.push_back(std::move(rank));
    }
    return out;
}

}  // namespace

std::string format_report_json(const RunSummary& s) {
    Json report = Json::object();
    report["version"] = s.version;
    report["status"] = s.ok ? "ok" : "failed";
    report["exit_code"] = s.exit_code;
    report["error"] = s.error ? Json(*s.error) : Json(nullptr);
    report["started_at"] = format_utc(s.started_unix_seconds);
    report["finished_at"] = format_utc(s.finished_unix_seconds);
    report["duration_seconds"] = tidy_seconds(s.finished_unix_seconds - s.started_unix_seconds);
    // An array, not one joined string: arguments may contain spaces and the reader should not re-split.
    report["command_line"] = s.command_line;
    report["ingest"] = s.ingest;
    report["rank_count"] = s.ranks.size();
    report["scale"] = s.scale;
    report["inputs"] = inputs_json(s.inputs);
    report["counts"] = counts_json(s);
    // Text, never a JSON number: readers would parse a number into a double and lose cents.
    report["amount_moved"] = s.amount_moved ? Json(*s.amount_moved) : Json(nullptr);
    report["stages_seconds"] = stages_json(s.stages_seconds);
    report["ranks"] = ranks_json(s.ranks);
    // Error messages quote the offending input and paths come from the command line; either may hold
    // bytes that are not UTF-8. Replacing them keeps the report writable for exactly the runs that need it.
    return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace ledger
