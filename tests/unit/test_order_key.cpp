// The packed record layout (records.hpp): a transfer's instant, input position, amount scale and reason
// share one 128-bit key, and its amount 64 bits or, when wider, a WideAmount beside it. Checks:
//  - every field reads back as written at the ends of its range: years 0000 and 9999 with the widest
//    offsets, nanoseconds 0 and 999'999'999, the last file index and byte offset, scales 0 and 18,
//    every reason, and amounts at the int128 limits and around the 64-bit edge, read back wherever kept;
//  - comparing keys is comparing (instant, position), on random pairs with many ties in each part and
//    with instants one nanosecond apart across the bits the two words split;
//  - setting the scale or the reason changes nothing else.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core_pipeline.hpp"
#include "ledger/instant.hpp"
#include "ledger/errors.hpp"
#include "ledger/records.hpp"
#include "ledger/wide_amounts.hpp"

namespace {

using ledger::Instant;
using ledger::int128;
using ledger::make_position;
using ledger::OrderKey;
using ledger::Reason;
using ledger::Transfer;
using ledger_test::i128_str;
using ledger_test::kInt128Max;
using ledger_test::kInt128Min;

Instant parsed(const std::string& text) {
    std::string error;
    const auto instant = ledger::parse_instant(text, &error);
    EXPECT_TRUE(instant.has_value()) << text << ": " << error;
    return instant.value_or(Instant{});
}

constexpr uint64_t kLastPosition = make_position(ledger::kMaxTransactionFiles - 1, ledger::kMaxTransactionFileBytes - 1);
constexpr Reason kReasons[] = {Reason::none,          Reason::unknown_account, Reason::invalid_amount,
                               Reason::same_account,  Reason::cross_country,   Reason::insufficient_funds};

TEST(OrderKey, EveryFieldReadsBackAtTheEndsOfItsRange) {
    const std::vector<Instant> instants = {
        parsed("0000-01-01T00:00+23:59"),  // the earliest instant the parser gives
        parsed("0000-01-01"),
        parsed("1970-01-01"),
        parsed("1969-12-31T23:59:59.999999999"),
        parsed("2024-02-29T12:34:56.000000001"),
        parsed("9999-12-31T23:59:59.999999999-23:59"),  // the latest
    };
    for (const Instant& instant : instants)
        for (const uint64_t position : {uint64_t{0}, make_position(1, 77), kLastPosition})
            for (const int scale : {0, 7, 18})
                for (const Reason reason : kReasons) {
                    const OrderKey key = OrderKey::make(instant, position, scale, reason);
                    EXPECT_EQ(key.instant(), instant) << ledger::format_instant(instant);
                    EXPECT_EQ(key.position(), position);
                    EXPECT_EQ(key.scale(), scale);
                    EXPECT_EQ(key.reason(), reason);
                }
}

TEST(OrderKey, EpochIsADayBeforeYearZero) {
    EXPECT_EQ(OrderKey::kOrderEpochSeconds, ledger::days_from_civil(0, 1, 1) * 86400 - 86400);
}

// Every amount reads back exactly, in the record or beside it, and only the ones that must are beside it.
TEST(OrderKey, AmountsReadBackWhereverKept) {
    const int128 word = int128(1) << 63;
    const int128 amounts[] = {0, 1, -1, word - 1, word, -word + 1, -word, -word - 1, kInt128Max, kInt128Min};
    std::vector<ledger::WideAmount> wide;
    std::vector<Transfer> records;
    for (size_t i = 0; i < std::size(amounts); ++i) {
        Transfer t{};
        t.order = OrderKey::make(Instant{0, 0}, make_position(0, i), 0, Reason::none);
        t.from = t.to = 0;
        ledger::store_amount(t, amounts[i], wide);
        records.push_back(t);
    }
    for (size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(i128_str(ledger::amount_of(records[i], wide)), i128_str(amounts[i])) << i;
        const bool needs_wide = amounts[i] > int128(INT64_MAX) || amounts[i] <= int128(INT64_MIN);
        EXPECT_EQ(records[i].wide(), needs_wide) << i128_str(amounts[i]);
    }
    EXPECT_EQ(wide.size(), 5u);  // 2^63, -2^63 (the mark itself), -2^63 - 1 and the two 128-bit limits
}

// A wide amount that did not travel with its record is a bug, and says so instead of reading garbage.
TEST(OrderKey, AMissingWideAmountIsAnInternalError) {
    std::vector<ledger::WideAmount> wide;
    Transfer t{};
    t.order = OrderKey::make(Instant{0, 0}, make_position(0, 7), 0, Reason::none);
    t.from = t.to = 0;
    ledger::store_amount(t, kInt128Max, wide);
    wide.clear();
    try {
        (void)ledger::amount_of(t, wide);
        FAIL() << "a missing wide amount was not noticed";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::internal);
    }
}

TEST(OrderKey, KeysCompareAsInstantThenPosition) {
    std::mt19937_64 random(20261126);
    // A base instant near the top of the range and small spreads: equal instants, equal seconds with
    // different nanoseconds, and nanoseconds that differ only in the five bits the low word holds.
    const Instant base = parsed("9999-12-31T23:59:58");
    auto pick = [&] {
        const int64_t seconds = base.seconds + int64_t(random() % 2);
        int32_t nanos = int32_t(random() % 3 == 0 ? random() % 64 : random() % 1'000'000'000);
        return Instant{seconds, nanos};
    };
    for (int i = 0; i < 200'000; ++i) {
        const Instant a = pick(), b = random() % 4 == 0 ? a : pick();
        const uint64_t pa = make_position(uint32_t(random() % 3), random() % 5);
        const uint64_t pb = random() % 4 == 0 ? pa : make_position(uint32_t(random() % 3), random() % 5);
        const OrderKey ka = OrderKey::make(a, pa, int(random() % 19), kReasons[random() % 6]);
        const OrderKey kb = OrderKey::make(b, pb, int(random() % 19), kReasons[random() % 6]);
        if (a == b && pa == pb) continue;  // never two rows at one position; the bits below would decide
        const bool want = a != b ? a < b : pa < pb;
        ASSERT_EQ(ka < kb, want) << ledger::format_instant(a) << " @" << pa << " vs " << ledger::format_instant(b)
                                 << " @" << pb;
    }
    // One nanosecond apart at every carry the split of the instant between the words could get wrong.
    for (const int32_t nanos : {0, 30, 31, 32, 63, 64, 999'999'998}) {
        const OrderKey earlier = OrderKey::make(Instant{base.seconds, nanos}, kLastPosition, 18, Reason::insufficient_funds);
        const OrderKey later = OrderKey::make(Instant{base.seconds, nanos + 1}, 0, 0, Reason::none);
        EXPECT_TRUE(earlier < later) << nanos;
        EXPECT_FALSE(later < earlier) << nanos;
    }
}

TEST(OrderKey, SettingScaleOrReasonChangesNothingElse) {
    const Instant instant = parsed("2024-06-30T23:59:59.123456789+02:00");
    OrderKey key = OrderKey::make(instant, kLastPosition, 3, Reason::none);
    key.set_scale(18);
    key.set_reason(Reason::cross_country);
    EXPECT_EQ(key.instant(), instant);
    EXPECT_EQ(key.position(), kLastPosition);
    EXPECT_EQ(key.scale(), 18);
    EXPECT_EQ(key.reason(), Reason::cross_country);
    key.set_scale(0);
    key.set_reason(Reason::none);
    EXPECT_EQ(key.scale(), 0);
    EXPECT_EQ(key.reason(), Reason::none);
    EXPECT_EQ(key.instant(), instant);
    EXPECT_EQ(key.position(), kLastPosition);
}

}  // namespace
