// One filled-in run summary shared by the report and metrics tests: every count distinct (a shifted
// index shows up as a wrong number), two ranks, stages not in alphabetical order.
#pragma once

#include "ledger/records.hpp"
#include "ledger/run_summary.hpp"

namespace ledger_test {

inline ledger::RunSummary sample_summary() {
    using ledger::Reason;
    ledger::RunSummary s;
    s.version = "1.2.3";
    s.ok = true;
    s.exit_code = 0;
    s.started_unix_seconds = 1'764'079'262.345;   // 2025-11-25T14:01:02.345Z
    s.finished_unix_seconds = 1'764'079'264.5;
    s.command_line = {"ledger", "--accounts", "a b.csv"};
    s.ingest = "parallel";
    s.inputs = {{"a b.csv", 120, "0123456789abcdef0123456789abcdef"}, {"t.csv", 4567, std::nullopt}};
    s.accounts = 10;
    s.countries = 3;
    s.transfers = 100;
    s.accepted = 85;
    // Distinct values per reason, so that a shifted index shows up as a wrong number.
    s.rejected[int(Reason::unknown_account)] = 1;
    s.rejected[int(Reason::invalid_amount)] = 2;
    s.rejected[int(Reason::same_account)] = 3;
    s.rejected[int(Reason::cross_country)] = 4;
    s.rejected[int(Reason::insufficient_funds)] = 5;
    s.bad_rows = 7;
    s.amount_moved = "12345678901234567890.12";
    s.scale = 2;
    // Not alphabetical, so that a report sorting its keys shows up.
    s.stages_seconds = {{"read", 0.25}, {"parse", 0.5}, {"replay", 1.5}, {"write", 0.125}};
    ledger::RankSummary r0{0, 2, 60, 1000, 2000, 50'000'000, {{"replay", 1.0}}, 500, 70'000, 9'000};
    ledger::RankSummary r1{1, 1, 40, 3000, 4000, 40'000'000, {{"replay", 0.75}}, 400, 60'000, 8'000};
    s.ranks = {r0, r1};
    return s;
}

}  // namespace ledger_test
