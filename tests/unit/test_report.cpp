// The JSON run report (spec: Outputs / Run report) and format_utc. Operators' scripts read this file
// by key, so these tests pin the key names and shapes the spec lists, the ok/failed forms, the rejection
// reasons by name, money as text, and that a message with non-UTF-8 bytes still gives a valid report
// (the failed runs are the ones whose reports matter most).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ledger/report.hpp"
#include "ledger/run_summary.hpp"
#include "sample_run_summary.hpp"

namespace ledger {
namespace {

using nlohmann::json;

using ledger_test::sample_summary;

json parse_report(const RunSummary& s) { return json::parse(format_report_json(s)); }

TEST(FormatUtc, EpochAndMilliseconds) {
    EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_utc(1'764'079'262.345), "2025-11-25T14:01:02.345Z");
}

TEST(FormatUtc, RoundsUpIntoTheNextSecondAndDay) {
    EXPECT_EQ(format_utc(86'399.9996), "1970-01-02T00:00:00.000Z");
}

TEST(FormatUtc, LeapDayAndBefore1970) {
    EXPECT_EQ(format_utc(1'709'164'800), "2024-02-29T00:00:00.000Z");
    EXPECT_EQ(format_utc(-0.5), "1969-12-31T23:59:59.500Z");
}

TEST(Report, HasEverySpecKeyWithItsType) {
    const json r = parse_report(sample_summary());
    EXPECT_EQ(r.at("version"), "1.2.3");
    EXPECT_EQ(r.at("status"), "ok");
    EXPECT_EQ(r.at("exit_code"), 0);
    EXPECT_TRUE(r.at("error").is_null());
    EXPECT_EQ(r.at("started_at"), "2025-11-25T14:01:02.345Z");
    EXPECT_EQ(r.at("finished_at"), "2025-11-25T14:01:04.500Z");
    EXPECT_EQ(r.at("command_line"), json({"ledger", "--accounts", "a b.csv"}));
    EXPECT_EQ(r.at("inputs"), json::parse(R"([{"path":"a b.csv","bytes":120,"xxh3_128":"0123456789abcdef0123456789abcdef"},{"path":"t.csv","bytes":4567,"xxh3_128":null}])"));
    EXPECT_TRUE(r.at("stages_seconds").is_object());
    EXPECT_TRUE(r.at("ranks").is_array());
    EXPECT_TRUE(r.at("counts").is_object());
}

TEST(Report, CountsNameEachRejectionReason) {
    const json counts = parse_report(sample_summary()).at("counts");
    EXPECT_EQ(counts.at("accounts"), 10);
    EXPECT_EQ(counts.at("countries"), 3);
    EXPECT_EQ(counts.at("transfers"), 100);
    EXPECT_EQ(counts.at("accepted"), 85);
    EXPECT_EQ(counts.at("bad_rows"), 7);
    const json expected = {{"unknown_account", 1}, {"invalid_amount", 2}, {"same_account", 3},
                           {"cross_country", 4},   {"insufficient_funds", 5}};
    EXPECT_EQ(counts.at("rejected"), expected);
}

TEST(Report, ZeroRejectionsAreListedNotOmitted) {
    RunSummary s = sample_summary();
    s.rejected = {};
    const json rejected = parse_report(s).at("counts").at("rejected");
    EXPECT_EQ(rejected.size(), 5u);
    EXPECT_EQ(rejected.at("cross_country"), 0);
}

TEST(Report, AmountMovedIsExactTextOrNull) {
    RunSummary s = sample_summary();
    EXPECT_EQ(parse_report(s).at("amount_moved"), "12345678901234567890.12");
    s.amount_moved.reset();
    EXPECT_TRUE(parse_report(s).at("amount_moved").is_null());
}

TEST(Report, StagesKeepTheOrderTheyRanIn) {
    const std::string text = format_report_json(sample_summary());
    const size_t read = text.find("\"read\"");
    const size_t parse = text.find("\"parse\"");
    const size_t replay = text.find("\"replay\"");
    ASSERT_NE(read, std::string::npos);
    EXPECT_LT(read, parse);
    EXPECT_LT(parse, replay);
    EXPECT_DOUBLE_EQ(parse_report(sample_summary()).at("stages_seconds").at("replay").get<double>(), 1.5);
}

TEST(Report, SecondsDropTheFloatNoiseOfSummedTimers) {
    RunSummary s = sample_summary();
    s.stages_seconds = {{"read", 0.0015811050000000002}};
    const std::string text = format_report_json(s);
    EXPECT_NE(text.find("\"read\": 0.001581\n"), std::string::npos) << text;
}

TEST(Report, RanksCarryTheirLoad) {
    const json ranks = parse_report(sample_summary()).at("ranks");
    ASSERT_EQ(ranks.size(), 2u);
    const json expected = json::parse(R"({"rank":1,"countries":1,"transfers":40,"bytes_sent":3000,
        "bytes_received":4000,"peak_rss_bytes":40000000,"stages_seconds":{"replay":0.75},
        "accounts_held":400,"input_bytes_parsed":60000,"output_bytes_written":8000})");
    EXPECT_EQ(ranks[1], expected);
    EXPECT_EQ(ranks[0].at("peak_rss_bytes"), 50'000'000);
}

TEST(Report, FailedRunSaysSoWithItsMessage) {
    RunSummary s = sample_summary();
    s.ok = false;
    s.exit_code = 3;
    s.error = "t.csv:12: bad amount (5.)";
    const json r = parse_report(s);
    EXPECT_EQ(r.at("status"), "failed");
    EXPECT_EQ(r.at("exit_code"), 3);
    EXPECT_EQ(r.at("error"), "t.csv:12: bad amount (5.)");
}

TEST(Report, NonUtf8BytesInAMessageStillGiveValidJson) {
    RunSummary s = sample_summary();
    s.ok = false;
    s.exit_code = 3;
    s.error = std::string("t.csv:2: bad id (\xff\xfe)");
    std::string text;
    ASSERT_NO_THROW(text = format_report_json(s));
    const json r = json::parse(text);  // throws, failing the test, if the text is not valid JSON
    EXPECT_EQ(r.at("error").get<std::string>().rfind("t.csv:2: bad id (", 0), 0u);
}

TEST(Report, EndsWithANewline) {
    const std::string text = format_report_json(sample_summary());
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace ledger
