#include "ledger/metrics.hpp"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace ledger {
namespace {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// One metric family: the exposition format wants HELP, TYPE and all samples of a name together, once.
class Family {
public:
    Family(std::string_view name, std::string_view type, std::string_view help)
        : name_(name), type_(type), help_(help) {}

    void add(Labels labels, std::string_view value) {
        samples_ += name_;
        if (labels.size() > 0) {
            samples_ += '{';
            bool first = true;
            for (const auto& [key, label_value] : labels) {
                if (!first) samples_ += ',';
                first = false;
                samples_ += key;
                samples_ += "=\"";
                append_escaped_label(label_value);
                samples_ += '"';
            }
            samples_ += '}';
        }
        samples_ += ' ';
        samples_ += value;
        samples_ += '\n';
    }

    // A family without samples is left out entirely rather than announced empty.
    void render(std::string& out) const {
        if (samples_.empty()) return;
        out.append("# HELP ").append(name_).append(" ").append(help_).append("\n");
        out.append("# TYPE ").append(name_).append(" ").append(type_).append("\n");
        out += samples_;
    }

private:
    // Stage names and versions come from code today, but a quote or newline in one would corrupt every
    // line after it, so label values are escaped as the format requires.
    void append_escaped_label(std::string_view value) {
        for (char c : value) {
            if (c == '\\') samples_ += "\\\\";
            else if (c == '"') samples_ += "\\\"";
            else if (c == '\n') samples_ += "\\n";
            else samples_ += c;
        }
    }

    std::string_view name_, type_, help_;
    std::string samples_;
};

std::string number(uint64_t value) { return std::to_string(value); }

std::string number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char text[64];
    // Shortest text that reads back as the same double: timestamps keep their milliseconds.
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

// Microseconds: timers summed in doubles, and the difference of two epoch-sized doubles, carry float
// noise below that (0.0015811050000000002).
std::string seconds_number(double seconds) { return number(std::round(seconds * 1e6) / 1e6); }

void add_run_status(std::string& out, const RunSummary& s) {
    Family info("ledger_build_info", "gauge", "Version of the ledger binary that ran last; the value is always 1.");
    info.add({{"version", s.version}}, "1");
    info.render(out);

    Family success("ledger_last_run_success", "gauge", "1 if the last run succeeded, 0 if it failed.");
    success.add({}, s.ok ? "1" : "0");
    success.render(out);

    Family last_run("ledger_last_run_timestamp_seconds", "gauge", "Unix time at which the last run finished.");
    last_run.add({}, number(s.finished_unix_seconds));
    last_run.render(out);

    // Only a successful run writes this. A failed run leaves the family out instead of stamping it with
    // the failure time, so that "last success too old" keeps measuring from the last good run: the
    // Pushgateway keeps a family that a POST does not mention (push_metrics POSTs for this reason), and
    // for the textfile collector the alert rules look back with max_over_time.
    Family last_success("ledger_last_success_timestamp_seconds", "gauge",
                        "Unix time at which the last successful run finished.");
    if (s.ok) last_success.add({}, number(s.finished_unix_seconds));
    last_success.render(out);

    Family duration("ledger_run_duration_seconds", "gauge", "Wall time of the last run, start to finish.");
    duration.add({}, seconds_number(s.finished_unix_seconds - s.started_unix_seconds));
    duration.render(out);

    Family stages("ledger_stage_duration_seconds", "gauge", "Wall time of each stage of the last run, as seen by rank 0.");
    for (const auto& [stage, seconds] : s.stages_seconds) stages.add({{"stage", stage}}, seconds_number(seconds));
    stages.render(out);
}

// The counters count one run: they start from zero every run, which Prometheus reads as a counter
// reset. Alert on their values, never on rate().
void add_counts(std::string& out, const RunSummary& s) {
    Family transfers("ledger_transfers_total", "counter",
                     "Transfers read by the last run, by result: accepted or the rejection reason.");
    transfers.add({{"result", "accepted"}}, number(s.accepted));
    for (int r = 1; r < kReasonCount; ++r)
        transfers.add({{"result", reason_name(static_cast<Reason>(r))}}, number(s.rejected[r]));
    transfers.render(out);

    Family bad_rows("ledger_bad_rows_total", "counter", "Bad input rows skipped into quarantine by the last run.");
    bad_rows.add({}, number(s.bad_rows));
    bad_rows.render(out);

    Family accounts("ledger_accounts", "gauge", "Accounts in the last run's accounts file.");
    accounts.add({}, number(s.accounts));
    accounts.render(out);

    Family countries("ledger_countries", "gauge", "Countries in the last run's accounts file.");
    countries.add({}, number(s.countries));
    countries.render(out);

    uint64_t input_bytes = 0;
    for (const auto& input : s.inputs) input_bytes += input.bytes;
    Family inputs("ledger_input_bytes", "gauge", "Total size of the last run's input files.");
    inputs.add({}, number(input_bytes));
    inputs.render(out);
}

void add_ranks(std::string& out, const RunSummary& s) {
    Family ranks("ledger_ranks", "gauge", "MPI ranks that reported in the last run.");
    ranks.add({}, number(uint64_t{s.ranks.size()}));
    ranks.render(out);

    Family countries("ledger_rank_countries", "gauge", "Countries replayed by each rank in the last run.");
    Family transfers("ledger_rank_transfers", "gauge", "Transfers replayed by each rank in the last run.");
    Family sent("ledger_rank_bytes_sent_total", "counter", "Bytes each rank sent to other ranks in the last run.");
    Family received("ledger_rank_bytes_received_total", "counter",
                    "Bytes each rank received from other ranks in the last run.");
    Family rss("ledger_rank_peak_rss_bytes", "gauge", "Peak resident memory of each rank in the last run.");
    Family held("ledger_rank_accounts_held", "gauge",
                "Most accounts each rank held in one role (read, directory, replay) in the last run.");
    Family parsed("ledger_rank_input_parsed_bytes", "gauge", "Bytes of the input files each rank parsed in the last run.");
    Family written("ledger_rank_output_written_bytes", "gauge",
                   "Bytes of the output files each rank wrote in the last run.");
    Family stages("ledger_rank_stage_duration_seconds", "gauge", "Wall time of each stage on each rank in the last run.");
    for (const auto& r : s.ranks) {
        const std::string rank = std::to_string(r.rank);
        countries.add({{"rank", rank}}, number(r.countries));
        transfers.add({{"rank", rank}}, number(r.transfers));
        sent.add({{"rank", rank}}, number(r.bytes_sent));
        received.add({{"rank", rank}}, number(r.bytes_received));
        rss.add({{"rank", rank}}, number(r.peak_rss_bytes));
        held.add({{"rank", rank}}, number(r.accounts_held));
        parsed.add({{"rank", rank}}, number(r.input_bytes_parsed));
        written.add({{"rank", rank}}, number(r.output_bytes_written));
        for (const auto& [stage, seconds] : r.stages_seconds)
            stages.add({{"rank", rank}, {"stage", stage}}, seconds_number(seconds));
    }
    for (const Family* family : {&countries, &transfers, &sent, &received, &rss, &held, &parsed, &written, &stages}) family->render(out);
}

}  // namespace

std::string format_metrics(const RunSummary& summary) {
    std::string out;
    add_run_status(out, summary);
    add_counts(out, summary);
    add_ranks(out, summary);
    return out;
}

}  // namespace ledger
