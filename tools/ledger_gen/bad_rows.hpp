// Malformed transaction rows for --on-bad-row skip tests: one of each kind of fault the spec names (wrong
// field count, impossible dates, bad amounts, bad ids), each otherwise valid. Their good amounts have one
// more fraction digit than the workload's, so a job that lets bad rows into the scale is caught.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "population.hpp"
#include "random.hpp"

namespace ledger_gen {

// Where bad rows go: sorted positions in 0..good_rows, a bad row at p is written just before good row p
// (p == good_rows: after the last one).
std::vector<uint64_t> draw_bad_row_positions(uint64_t seed, uint64_t count, uint64_t good_rows);

struct BadRow {
    std::array<std::string, 4> fields;  // date, from, amount, to
    int field_count_delta = 0;          // < 0: fields missing at the end; > 0: junk fields added
};

// `now_seconds` gives the otherwise-valid date a plausible value.
void make_bad_row(Rng& rng, const Population& population, int decimals, int64_t now_seconds, BadRow& row);

}  // namespace ledger_gen
