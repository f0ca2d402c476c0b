// Replay (replay.hpp, order.hpp): the heart of the spec's semantics. Checks, on hand-built records:
//  - an accepted transfer moves exactly the amount; a balance exactly equal to the amount is enough;
//  - insufficient_funds is decided at that moment (balance 0, balance below the amount);
//  - every static reason is recorded and changes nothing, and beats insufficient_funds (precedence);
//  - a self-transfer never creates money (the old job's bug);
//  - equal instants replay in input order (file order, then byte offset), whatever order the records
//    arrive in, and the fast sort agrees with its plain reference twin;
//  - the conservation check sees a changed per-country sum, and a receiver overflow is a
//    PositionedError naming the row instead of a wrapped balance;
//  - the totals that feed the report count what happened.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core_pipeline.hpp"
#include "ledger/order.hpp"
#include "ledger/records.hpp"
#include "ledger/replay.hpp"
#include "ledger/wide_amounts.hpp"

namespace {

using ledger::int128;
using ledger::kUnknownAccount;
using ledger::make_position;
using ledger::Reason;
using ledger::Rejection;
using ledger::ReplayTotals;
using ledger::Transfer;
using ledger::uint128;
using ledger_test::i128_str;
using ledger_test::kInt128Max;

constexpr int64_t k2024 = 1704067200;

Transfer tr(uint32_t from, uint32_t to, int128 amount, int64_t seconds, uint64_t position,
            Reason reason = Reason::none, int32_t nanos = 0) {
    Transfer t{};
    t.order = ledger::OrderKey::make(ledger::Instant{seconds, nanos}, position, 0, reason);
    EXPECT_TRUE(ledger::fits_in_record(amount)) << "tr() makes records with their amount inside";
    t.amount = int64_t(amount);
    t.from = from;
    t.to = to;
    return t;
}

std::vector<std::string> str(const std::vector<int128>& balances) {
    std::vector<std::string> out;
    for (int128 b : balances) out.push_back(i128_str(b));
    return out;
}
using Strings = std::vector<std::string>;

struct ReplayRun {
    std::vector<Rejection> rejections;
    ReplayTotals totals;
};

ReplayRun run(std::vector<Transfer> transfers, std::vector<int128>& balances) {
    ReplayRun r;
    ledger::replay(transfers, {}, balances, r.rejections, r.totals);
    return r;
}

TEST(Replay, AcceptedTransferMovesTheAmount) {
    std::vector<int128> b = {100, 0, 7};
    ReplayRun r = run({tr(0, 1, 30, k2024, 1), tr(1, 2, 5, k2024 + 1, 2)}, b);
    EXPECT_EQ(str(b), (Strings{"70", "25", "12"}));
    EXPECT_TRUE(r.rejections.empty());
    EXPECT_EQ(r.totals.transfers, 2u);
    EXPECT_EQ(r.totals.accepted, 2u);
    EXPECT_EQ(i128_str(r.totals.amount_moved), "35");
    EXPECT_FALSE(r.totals.amount_moved_overflow);
}

// Amounts beyond 64 bits, kept beside their records, move exactly and are judged exactly: a balance one
// unit short is insufficient, one exactly equal is enough, and amount_moved sums them in full.
TEST(Replay, WideAmountsMoveExactly) {
    const int128 big = ledger_test::i128("100000000000000000000000000000");  // 10^29
    std::vector<int128> b = {big, 0, 0};
    std::vector<ledger::WideAmount> wide;
    auto wide_tr = [&](uint32_t from, uint32_t to, int128 amount, int64_t seconds, uint64_t position) {
        Transfer t = tr(from, to, 0, seconds, position);
        ledger::store_amount(t, amount, wide);
        EXPECT_TRUE(t.wide());
        return t;
    };
    std::vector<Transfer> t = {wide_tr(0, 1, big / 2 + 1, k2024, 1), wide_tr(0, 2, big / 2, k2024 + 1, 2),
                               tr(1, 0, 7, k2024 + 2, 3), wide_tr(0, 2, big / 2 + 6, k2024 + 3, 4)};
    std::vector<Rejection> rejections;
    ReplayTotals totals;
    ledger::replay(t, wide, b, rejections, totals);
    // After the first, the sender holds 5 x 10^28 - 1: one unit short of the second. The small one brings
    // it to 5 x 10^28 + 6, exactly the last amount.
    EXPECT_EQ(i128_str(b[0]), "0");
    EXPECT_EQ(i128_str(b[1]), "49999999999999999999999999994");
    EXPECT_EQ(i128_str(b[2]), "50000000000000000000000000006");
    ASSERT_EQ(rejections.size(), 1u);
    EXPECT_EQ(rejections[0].position(), 2u);
    EXPECT_EQ(rejections[0].reason(), Reason::insufficient_funds);
    EXPECT_EQ(i128_str(totals.amount_moved), "100000000000000000000000000014");
}

TEST(Replay, InsufficientFundsRejectedAndChangesNothing) {
    std::vector<int128> b = {5, 0};
    ReplayRun r = run({tr(0, 1, 6, k2024, make_position(1, 77), Reason::none, 123)}, b);
    EXPECT_EQ(str(b), (Strings{"5", "0"}));
    ASSERT_EQ(r.rejections.size(), 1u);
    EXPECT_EQ(r.rejections[0].reason(), Reason::insufficient_funds);
    EXPECT_EQ(r.rejections[0].position(), make_position(1, 77));
    EXPECT_EQ(r.rejections[0].instant().seconds, k2024);
    EXPECT_EQ(r.rejections[0].instant().nanos, 123);
    EXPECT_EQ(r.totals.accepted, 0u);
    EXPECT_EQ(r.totals.rejected[size_t(Reason::insufficient_funds)], 1u);
    EXPECT_EQ(i128_str(r.totals.amount_moved), "0");
}

TEST(Replay, ZeroBalanceCannotPay) {
    std::vector<int128> b = {0, 10};
    ReplayRun r = run({tr(0, 1, 1, k2024, 1)}, b);
    EXPECT_EQ(str(b), (Strings{"0", "10"}));
    ASSERT_EQ(r.rejections.size(), 1u);
    EXPECT_EQ(r.rejections[0].reason(), Reason::insufficient_funds);
}

TEST(Replay, ExactlyEqualBalanceIsEnough) {
    std::vector<int128> b = {50, 0};
    ReplayRun r = run({tr(0, 1, 50, k2024, 1), tr(0, 1, 1, k2024 + 1, 2)}, b);
    EXPECT_EQ(str(b), (Strings{"0", "50"}));
    EXPECT_EQ(r.totals.accepted, 1u);
    ASSERT_EQ(r.rejections.size(), 1u);
    EXPECT_EQ(r.rejections[0].position(), 2u);
    EXPECT_EQ(r.rejections[0].reason(), Reason::insufficient_funds);
}

TEST(Replay, BelowTheAmountThenPayable) {
    std::vector<int128> b = {500, 0};  // 5.00 at scale 2
    ReplayRun r = run({tr(0, 1, 501, k2024, 1), tr(0, 1, 499, k2024 + 1, 2), tr(0, 1, 2, k2024 + 2, 3)}, b);
    EXPECT_EQ(str(b), (Strings{"1", "499"}));
    ASSERT_EQ(r.rejections.size(), 2u);
    EXPECT_EQ(r.rejections[0].position(), 1u);
    EXPECT_EQ(r.rejections[1].position(), 3u);
}

TEST(Replay, EveryStaticReasonRecordedAndChangesNothing) {
    // accounts 0,1 in one country, 2 in another
    std::vector<int128> b = {100, 100, 100};
    std::vector<Transfer> t = {
        tr(kUnknownAccount, 1, 10, k2024, 1, Reason::unknown_account),
        tr(0, kUnknownAccount, 10, k2024 + 1, 2, Reason::unknown_account),
        tr(0, 1, 0, k2024 + 2, 3, Reason::invalid_amount),
        tr(0, 1, -10, k2024 + 3, 4, Reason::invalid_amount),  // a negative amount must not pay the sender
        tr(0, 0, 10, k2024 + 4, 5, Reason::same_account),
        tr(0, 2, 10, k2024 + 5, 6, Reason::cross_country),
        tr(2, 1, 10, k2024 + 6, 7, Reason::cross_country),
    };
    ReplayRun r = run(t, b);
    EXPECT_EQ(str(b), (Strings{"100", "100", "100"}));
    ASSERT_EQ(r.rejections.size(), t.size());
    for (size_t i = 0; i < t.size(); ++i) {
        EXPECT_EQ(r.rejections[i].reason(), t[i].reason()) << i;
        EXPECT_EQ(r.rejections[i].position(), t[i].position()) << i;
    }
    EXPECT_EQ(r.totals.transfers, 7u);
    EXPECT_EQ(r.totals.accepted, 0u);
    EXPECT_EQ(r.totals.rejected[size_t(Reason::unknown_account)], 2u);
    EXPECT_EQ(r.totals.rejected[size_t(Reason::invalid_amount)], 2u);
    EXPECT_EQ(r.totals.rejected[size_t(Reason::same_account)], 1u);
    EXPECT_EQ(r.totals.rejected[size_t(Reason::cross_country)], 2u);
    EXPECT_EQ(r.totals.rejected[size_t(Reason::insufficient_funds)], 0u);
    EXPECT_EQ(i128_str(r.totals.amount_moved), "0");
}

TEST(Replay, StaticReasonBeatsInsufficientFunds) {
    std::vector<int128> b = {0, 0, 0};  // nobody can pay anything
    std::vector<Transfer> t = {
        tr(0, 2, 10, k2024, 1, Reason::cross_country),
        tr(0, 0, 10, k2024 + 1, 2, Reason::same_account),
        tr(0, 1, -10, k2024 + 2, 3, Reason::invalid_amount),
        tr(kUnknownAccount, 1, 10, k2024 + 3, 4, Reason::unknown_account),
    };
    ReplayRun r = run(t, b);
    ASSERT_EQ(r.rejections.size(), 4u);
    EXPECT_EQ(r.rejections[0].reason(), Reason::cross_country);
    EXPECT_EQ(r.rejections[1].reason(), Reason::same_account);
    EXPECT_EQ(r.rejections[2].reason(), Reason::invalid_amount);
    EXPECT_EQ(r.rejections[3].reason(), Reason::unknown_account);
    EXPECT_EQ(str(b), (Strings{"0", "0", "0"}));
}

TEST(Replay, SelfTransferMakesNoMoneyEndToEnd) {
    auto result = ledger_test::run_core("accountNumber,country,balance\nA,US,10\nB,US,0\n",
                                        "date,fromAccountNumber,transferAmount,toAccountNumber\n"
                                        "2024-01-01,A,10,A\n"
                                        "2024-01-02,A,10,A\n"
                                        "2024-01-03,B,0.5,B\n");
    EXPECT_EQ(result.balances, "accountNumber,country,balance\nA,US,10.0\nB,US,0.0\n");
    EXPECT_EQ(result.rejected, std::string(ledger::kRejectedHeader) +
                                   "2024-01-01,A,10,A,same_account\n"
                                   "2024-01-02,A,10,A,same_account\n"
                                   "2024-01-03,B,0.5,B,same_account\n");
}

TEST(Replay, EqualInstantsReplayInInputOrder) {
    // B pays A, then A pays C, at the same instant. In input order both go through; the other way
    // round A cannot pay yet.
    for (bool b_first : {true, false}) {
        SCOPED_TRACE(b_first ? "B->A first in the input" : "A->C first in the input");
        uint64_t pos_ba = b_first ? make_position(0, 100) : make_position(0, 200);
        uint64_t pos_ac = b_first ? make_position(0, 200) : make_position(0, 100);
        std::vector<Transfer> t = {tr(0, 2, 10, k2024, pos_ac, Reason::none, 5),
                                   tr(1, 0, 10, k2024, pos_ba, Reason::none, 5)};
        ledger::sort_for_replay(t);
        std::vector<int128> b = {0, 10, 0};
        ReplayRun r = run(t, b);
        if (b_first) {
            EXPECT_EQ(str(b), (Strings{"0", "0", "10"}));
            EXPECT_TRUE(r.rejections.empty());
        } else {
            EXPECT_EQ(str(b), (Strings{"10", "0", "0"}));
            ASSERT_EQ(r.rejections.size(), 1u);
            EXPECT_EQ(r.rejections[0].position(), pos_ac);
        }
    }
}

TEST(Order, FileOrderBeforeByteOffset) {
    std::vector<Transfer> t = {tr(0, 1, 1, k2024, make_position(1, 5)), tr(0, 1, 1, k2024, make_position(0, 9000)),
                               tr(0, 1, 1, k2024 - 1, make_position(2, 0)),
                               tr(0, 1, 1, k2024, make_position(0, 8999), Reason::none, 1)};
    ledger::sort_for_replay(t);
    EXPECT_EQ(t[0].position(), make_position(2, 0));     // earliest instant
    EXPECT_EQ(t[1].position(), make_position(0, 9000));  // same instant: file 0 first
    EXPECT_EQ(t[2].position(), make_position(1, 5));
    EXPECT_EQ(t[3].position(), make_position(0, 8999));  // one nanosecond later
}

TEST(Order, FastSortAgreesWithReference) {
    std::mt19937_64 rng(99);
    for (int round = 0; round < 50; ++round) {
        size_t n = size_t(rng() % 3000);
        std::vector<Transfer> input;  // in input order: ascending position
        uint64_t offset = 0;
        uint32_t file = 0;
        for (size_t i = 0; i < n; ++i) {
            if (rng() % 500 == 0) ++file, offset = 0;
            offset += 1 + rng() % 100;
            int64_t seconds = k2024 + int64_t(rng() % 20) - (round % 2 ? int64_t(rng() % 3) * 4000000000LL : 0);
            int32_t nanos = int32_t(rng() % 3) * 333;
            input.push_back(tr(0, 1, 1, seconds, make_position(file, offset), Reason::none, nanos));
        }
        std::vector<Transfer> fast = input;
        std::shuffle(fast.begin(), fast.end(), rng);
        ledger::sort_for_replay(fast);
        std::vector<Transfer> reference = input;
        ledger::sort_for_replay_reference(reference);
        ASSERT_EQ(fast.size(), reference.size());
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(fast[i].position(), reference[i].position()) << "round " << round;
        for (size_t i = 1; i < n; ++i) {
            ASSERT_TRUE(ledger::replay_before(reference[i - 1], reference[i])) << "round " << round << " at " << i;
        }

        std::vector<Rejection> rejections;
        for (const Transfer& t : fast) rejections.push_back(ledger::rejection_of(t, Reason::insufficient_funds));
        std::shuffle(rejections.begin(), rejections.end(), rng);
        ledger::sort_for_replay(rejections);
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(rejections[i].position(), reference[i].position());
    }
}

// Days nearly in time order, as exported: a share of rows dated earlier (late arrivals) or later than
// their neighbours, alone or several in a row, by a little or by a week. sort_for_replay must agree with
// the reference on all of them; the two-pass sort must take the shapes it is for (up to a few percent out
// of place) and give up on the others, which the quicksort then sorts.
TEST(Order, NearlySortedDaysAgreeWithReference) {
    std::mt19937_64 rng(7);
    constexpr int64_t kWeek = 7 * 86400;
    for (int round = 0; round < 40; ++round) {
        const size_t n = 4096 + size_t(rng() % 40000);
        const double out_of_place = std::vector<double>{0.0, 0.001, 0.01, 0.03, 0.2, 0.6}[size_t(round % 6)];
        std::vector<Transfer> input;
        int64_t seconds = k2024;
        for (size_t i = 0; i < n; ++i) {
            seconds += int64_t(rng() % 3);  // equal instants too: ties go by position
            int64_t dated = seconds;
            if (double(rng() % 1'000'000) < out_of_place * 1e6) {
                const int64_t by = rng() % 2 ? int64_t(rng() % 5) : int64_t(rng() % kWeek);
                const int in_a_row = 1 + int(rng() % 6);
                for (int k = 0; k < in_a_row && i < n; ++k, ++i)
                    input.push_back(tr(0, 1, 1, rng() % 2 ? dated - by : dated + by, make_position(0, i)));
                --i;
                continue;
            }
            input.push_back(tr(0, 1, 1, dated, make_position(0, i)));
        }
        std::vector<Transfer> reference = input;
        ledger::sort_for_replay_reference(reference);
        std::vector<Transfer> fast = input;
        ledger::sort_for_replay(fast);
        for (size_t i = 0; i < input.size(); ++i)
            ASSERT_EQ(fast[i].position(), reference[i].position()) << "round " << round << " at " << i;
        std::vector<Transfer> two_pass = input;
        const bool taken = ledger::sort_nearly_sorted(two_pass);
        if (out_of_place <= 0.01) {
            EXPECT_TRUE(taken) << "round " << round;
        }
        if (out_of_place >= 0.6) {
            EXPECT_FALSE(taken) << "round " << round;
        }
        if (taken) {
            for (size_t i = 0; i < input.size(); ++i)
                ASSERT_EQ(two_pass[i].position(), reference[i].position()) << "round " << round << " at " << i;
        } else {
            // Given up: still every record, once.
            std::vector<uint64_t> a, b;
            for (const Transfer& t : two_pass) a.push_back(t.position());
            for (const Transfer& t : input) b.push_back(t.position());
            std::sort(a.begin(), a.end());
            EXPECT_EQ(a, b) << "round " << round;
        }
        std::vector<Rejection> rejections;
        for (const Transfer& t : input) rejections.push_back(ledger::rejection_of(t, Reason::insufficient_funds));
        ledger::sort_for_replay(rejections);
        for (size_t i = 0; i < input.size(); ++i) ASSERT_EQ(rejections[i].position(), reference[i].position());
    }
}

TEST(Conservation, CountrySumsPerCountry) {
    std::vector<int128> b = {10, 20, -5, 7};
    std::vector<uint32_t> country = {0, 1, 0, 1};
    auto sums = ledger::country_sums(b, country, 3);
    ASSERT_EQ(sums.size(), 3u);
    EXPECT_TRUE(sums[0] == uint128(5));
    EXPECT_TRUE(sums[1] == uint128(27));
    EXPECT_TRUE(sums[2] == uint128(0));
    // Sums wrap modulo 2^128 rather than overflow.
    std::vector<int128> big = {kInt128Max, 1};
    std::vector<uint32_t> one = {0, 0};
    auto wrapped = ledger::country_sums(big, one, 1);
    EXPECT_TRUE(wrapped[0] == uint128(1) << 127);
}

TEST(Conservation, UnchangedSumsPass) {
    std::vector<int128> b = {100, 0, 50};
    std::vector<uint32_t> country = {0, 0, 1};
    auto before = ledger::country_sums(b, country, 2);
    ReplayRun r = run({tr(0, 1, 60, k2024, 1)}, b);
    auto after = ledger::country_sums(b, country, 2);
    std::vector<int> owner = {0, 0};
    EXPECT_NO_THROW(ledger::check_conservation(before, after, owner, 0));
    EXPECT_EQ(r.totals.accepted, 1u);
}

TEST(Conservation, ChangedSumFailsLoudly) {
    std::vector<int128> b = {100, 0, 50};
    std::vector<uint32_t> country = {0, 0, 1};
    auto before = ledger::country_sums(b, country, 2);
    b[2] += 1;  // money from nowhere in country 1
    auto after = ledger::country_sums(b, country, 2);
    std::vector<int> owner = {0, 0};
    try {
        ledger::check_conservation(before, after, owner, 0);
        FAIL() << "a changed sum passed the conservation check";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::internal);
        EXPECT_NE(std::string(e.what()), "");
    }
}

// A rank's transfers come as sorted runs side by side, one from every rank (the parallel ingest sorts
// each group where it was parsed): the replay must apply them in the order of all together, exactly as if
// they had been sorted as one. Two runs take a branch-free merge and more take a heap, so both are
// checked, with runs that are empty, hold everything, or interleave at random.
TEST(Replay, RunsReplayAsTheirMerge) {
    std::mt19937_64 rng(5);
    for (int round = 0; round < 120; ++round) {
        const size_t n = size_t(rng() % 400), accounts = 1 + size_t(rng() % 12);
        std::vector<Transfer> all;
        for (size_t i = 0; i < n; ++i) {
            const uint32_t from = uint32_t(rng() % accounts), to = uint32_t(rng() % accounts);
            // The parse marks these; the replay relies on it.
            const Reason reason = from == to ? Reason::same_account : rng() % 10 == 0 ? Reason::cross_country : Reason::none;
            all.push_back(tr(from, to, 1 + int128(rng() % 50), k2024 + int64_t(rng() % 40), make_position(0, i), reason));
        }
        const size_t run_count = 1 + size_t(round % 5);
        std::vector<std::vector<Transfer>> runs(run_count);
        const bool one_run_holds_all = round % 10 >= 5;
        const size_t holder = size_t(rng() % run_count);
        for (const Transfer& t : all) runs[one_run_holds_all ? holder : size_t(rng() % run_count)].push_back(t);
        std::vector<Transfer> side_by_side;
        std::vector<size_t> later_run_starts;
        for (std::vector<Transfer>& run : runs) {
            ledger::sort_for_replay(run);
            if (&run != &runs.front()) later_run_starts.push_back(side_by_side.size());
            side_by_side.insert(side_by_side.end(), run.begin(), run.end());
        }
        ledger::sort_for_replay(all);
        std::vector<int128> opening(accounts);
        for (int128& b : opening) b = int128(rng() % 60);

        // The expected outcome, by the rules applied one transfer at a time in the merged order.
        std::vector<int128> expected = opening;
        std::vector<std::pair<uint64_t, Reason>> expected_rejections;
        for (const Transfer& t : all) {
            Reason reason = t.reason();
            if (reason == Reason::none && expected[t.from] < t.amount) reason = Reason::insufficient_funds;
            if (reason != Reason::none) {
                expected_rejections.emplace_back(t.position(), reason);
                continue;
            }
            expected[t.from] -= t.amount;
            expected[t.to] += t.amount;
        }
        std::vector<int128> balances = opening;
        ReplayRun merged;
        ledger::replay(side_by_side, later_run_starts, {}, balances, merged.rejections, merged.totals);
        EXPECT_EQ(str(balances), str(expected)) << "round " << round << ", " << run_count << " runs";
        ASSERT_EQ(merged.rejections.size(), expected_rejections.size()) << "round " << round;
        for (size_t i = 0; i < expected_rejections.size(); ++i) {
            EXPECT_EQ(merged.rejections[i].position(), expected_rejections[i].first) << "round " << round;
            EXPECT_EQ(merged.rejections[i].reason(), expected_rejections[i].second) << "round " << round;
        }
        EXPECT_EQ(merged.totals.transfers, n);
        EXPECT_EQ(merged.totals.accepted, n - expected_rejections.size());
    }
}

TEST(Replay, ReceiverOverflowIsAPositionedError) {
    std::vector<int128> b = {10, kInt128Max - 3};
    const uint64_t position = make_position(3, 1234);
    std::vector<Transfer> t = {tr(0, 1, 3, k2024, 1), tr(0, 1, 1, k2024 + 1, position)};
    std::vector<Rejection> rejections;
    ReplayTotals totals;
    try {
        ledger::replay(t, {}, b, rejections, totals);
        FAIL() << "overflow not detected; receiver now " << i128_str(b[1]);
    } catch (const ledger::PositionedError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
        EXPECT_EQ(e.position(), position);
    }
}

TEST(Replay, TotalsAdd) {
    ReplayTotals a;
    a.transfers = 3;
    a.accepted = 2;
    a.rejected[size_t(Reason::cross_country)] = 1;
    a.amount_moved = 40;
    ReplayTotals b;
    b.transfers = 5;
    b.accepted = 1;
    b.rejected[size_t(Reason::cross_country)] = 2;
    b.rejected[size_t(Reason::insufficient_funds)] = 2;
    b.amount_moved = 2;
    a.add(b);
    EXPECT_EQ(a.transfers, 8u);
    EXPECT_EQ(a.accepted, 3u);
    EXPECT_EQ(a.rejected[size_t(Reason::cross_country)], 3u);
    EXPECT_EQ(a.rejected[size_t(Reason::insufficient_funds)], 2u);
    EXPECT_EQ(i128_str(a.amount_moved), "42");
    EXPECT_FALSE(a.amount_moved_overflow);

    ReplayTotals huge;
    huge.amount_moved = kInt128Max;
    ReplayTotals more;
    more.amount_moved = 1;
    huge.add(more);
    EXPECT_TRUE(huge.amount_moved_overflow);
}

}  // namespace
