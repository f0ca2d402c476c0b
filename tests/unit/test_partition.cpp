// Country-to-rank assignment (partition.hpp). The spec asks that countries go to ranks by load, not by
// hash alone, so one big country does not leave the other ranks idle; and the result must be the same
// bytes at any rank count, which needs every rank to compute the same assignment. Checks: largest
// country first onto the least-loaded rank, ties broken by country index and then the lower rank (a pure
// function of the counts), more ranks than countries, one rank, and that the assignment is never worse
// than the textbook greedy bound on random loads.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "ledger/partition.hpp"

namespace {

using Owners = std::vector<int>;

Owners assign(std::vector<uint64_t> counts, int ranks) { return ledger::assign_countries(counts, ranks); }

TEST(AssignCountries, LargestFirstOntoLeastLoaded) {
    // 100 -> r0; 20 (c2) -> r1; 20 (c3) -> r1 (20 < 100); 5 (c0) -> r1 (40 < 100).
    EXPECT_EQ(assign({5, 100, 20, 20}, 2), (Owners{1, 0, 1, 1}));
    // 9 -> r0, 7 -> r1, 6 -> r2, 5 -> r2 (6 is least), 4 -> r1 (7 < 9, 7 < 11), 3 -> r0 (9 < 11, 9 < 11)
    EXPECT_EQ(assign({3, 4, 5, 6, 7, 9}, 3), (Owners{0, 1, 2, 2, 1, 0}));
}

TEST(AssignCountries, OneBigCountryGetsARankToItself) {
    EXPECT_EQ(assign({1, 1, 1000, 1, 1, 1}, 2), (Owners{1, 1, 0, 1, 1, 1}));
}

TEST(AssignCountries, DeterministicTies) {
    // Equal counts: lower country index first; equal loads: lower rank.
    EXPECT_EQ(assign({10, 10, 10, 10}, 2), (Owners{0, 1, 0, 1}));
    EXPECT_EQ(assign({10, 10, 10}, 3), (Owners{0, 1, 2}));
    EXPECT_EQ(assign({7, 7, 7, 7, 7}, 2), (Owners{0, 1, 0, 1, 0}));
    // Same input, same answer, every time.
    std::vector<uint64_t> counts = {4, 8, 4, 8, 1, 1, 3};
    Owners first = assign(counts, 3);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(assign(counts, 3), first);
}

TEST(AssignCountries, MoreRanksThanCountries) {
    EXPECT_EQ(assign({3, 7}, 4), (Owners{1, 0}));
    EXPECT_EQ(assign({5}, 8), (Owners{0}));
}

TEST(AssignCountries, OneRankOwnsEverything) {
    EXPECT_EQ(assign({3, 1, 4, 1, 5}, 1), (Owners{0, 0, 0, 0, 0}));
}

TEST(AssignCountries, NoCountries) { EXPECT_TRUE(assign({}, 4).empty()); }

TEST(AssignCountries, RandomLoadsWithinGreedyBound) {
    std::mt19937_64 rng(5);
    for (int round = 0; round < 200; ++round) {
        size_t n = 1 + rng() % 40;
        int ranks = 1 + int(rng() % 9);
        std::vector<uint64_t> counts(n);
        for (auto& c : counts) c = 1 + rng() % (rng() % 2 ? 1000000 : 50);
        Owners owner = ledger::assign_countries(counts, ranks);
        ASSERT_EQ(owner.size(), n);
        std::vector<uint64_t> load(size_t(ranks), 0);
        for (size_t c = 0; c < n; ++c) {
            ASSERT_GE(owner[c], 0);
            ASSERT_LT(owner[c], ranks);
            load[size_t(owner[c])] += counts[c];
        }
        // Greedy largest-first: the heaviest rank is at most average + the largest country (with slack
        // of one unit per country, in case an implementation charges each country a fixed cost too).
        uint64_t total = std::accumulate(counts.begin(), counts.end(), uint64_t{0});
        uint64_t largest = *std::max_element(counts.begin(), counts.end());
        uint64_t heaviest = *std::max_element(load.begin(), load.end());
        EXPECT_LE(heaviest, (total + n) / uint64_t(ranks) + largest + 1) << "round " << round;
        // Every rank gets a country while there are at least as many countries as ranks.
        if (n >= size_t(ranks)) {
            for (int r = 0; r < ranks; ++r) EXPECT_GT(load[size_t(r)], 0u) << "rank " << r << " idle";
        }
    }
}

}  // namespace
