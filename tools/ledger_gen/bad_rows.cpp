#include "bad_rows.hpp"

#include <algorithm>
#include <string_view>

#include "date_text.hpp"
#include "money_text.hpp"

namespace ledger_gen {
namespace {

enum Field { kDate = 0, kFrom = 1, kAmount = 2, kTo = 3 };

struct Fault {
    int field;              // which field is replaced, or -1 for a field-count fault
    std::string_view text;  // the replacement; for field-count faults, unused
    int field_count_delta;
};

// Each is wrong for exactly one reason the spec (or the lead's decisions) names.
constexpr Fault kFaults[] = {
    {-1, "", -1},                                  // a field missing
    {-1, "", +1},                                  // a field too many
    {kDate, "2021-02-30T10:00:00", 0},             // no such day
    {kDate, "2021-13-01T10:00:00", 0},             // no such month
    {kDate, "2021-03-01T24:00:00", 0},             // hour 24
    {kDate, "2021-03-01T10:60:00", 0},             // minute 60
    {kDate, "2016-12-31T23:59:60", 0},             // leap second
    {kDate, "2021-03-01+02:00", 0},                // offset on a date-only value
    {kDate, "2021-03-01T10:00:00+24:00", 0},       // offset hour out of range
    {kDate, "2021-3-01T10:00:00", 0},              // one-digit month
    {kDate, "2021-03-01T10:00:00.1234567890", 0},  // ten fraction digits
    {kDate, "yesterday", 0},
    {kDate, "", 0},
    {kAmount, "5.", 0},
    {kAmount, ".5", 0},
    {kAmount, "1e3", 0},
    {kAmount, "12.3.4", 0},
    {kAmount, "1.0000000000000000001", 0},  // 19 fraction digits
    {kAmount, "", 0},
    {kAmount, "12 34", 0},
    {kFrom, "", 0},
    {kTo, "", 0},
    {kTo, "X1234567890123456789012345678901234567890123456789012345678901234", 0},  // 65 bytes
    {kFrom, std::string_view("ACC\0NUL", 7), 0},                                // NUL in an id
};
constexpr uint64_t kFaultCount = sizeof kFaults / sizeof kFaults[0];

}  // namespace

std::vector<uint64_t> draw_bad_row_positions(uint64_t seed, uint64_t count, uint64_t good_rows) {
    Rng rng(stream_seed(seed, kBadRows));
    std::vector<uint64_t> positions(count);
    for (uint64_t& p : positions) p = rng.below(good_rows + 1);
    std::sort(positions.begin(), positions.end());
    return positions;
}

void make_bad_row(Rng& rng, const Population& population, int decimals, int64_t now_seconds, BadRow& row) {
    for (std::string& field : row.fields) field.clear();
    DateWriter dates;
    dates.append_plain(row.fields[kDate], now_seconds);
    population.append_id(row.fields[kFrom], rng.below(population.account_count()));
    population.append_id(row.fields[kTo], rng.below(population.account_count()));
    Money amount;
    amount.whole = 1 + rng.below(999);
    amount.digits = decimals < 18 ? decimals + 1 : 18;
    amount.fraction = rng.below(pow10(amount.digits));
    append_money(row.fields[kAmount], amount);

    const Fault& fault = kFaults[rng.below(kFaultCount)];
    row.field_count_delta = fault.field_count_delta;
    if (fault.field >= 0) row.fields[size_t(fault.field)].assign(fault.text);
}

}  // namespace ledger_gen
