// group_stably (grouping.hpp): records laid out by group in the layout's order, every group keeping its
// records' order, for block sizes that divide the groups evenly and ones that leave every buffer partly
// filled, one group or many, empty groups, no records, records relabelled as they are grouped, and counts
// or a layout that do not match (an internal error, not a silently wrong layout). The expected layout is built the obvious way, with a
// copy per group.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "ledger/errors.hpp"
#include "ledger/grouping.hpp"

namespace {

struct Item {
    uint32_t group;
    uint32_t serial;  // input order
    bool operator==(const Item&) const = default;
};

std::vector<Item> items_of(const std::vector<uint32_t>& groups) {
    std::vector<Item> items;
    for (uint32_t i = 0; i < groups.size(); ++i) items.push_back({groups[i], i});
    return items;
}

std::vector<Item> expected_layout(const std::vector<Item>& items, const std::vector<size_t>& layout) {
    std::vector<Item> out;
    for (const size_t g : layout)
        for (const Item& item : items)
            if (item.group == g) out.push_back(item);
    return out;
}

std::vector<uint64_t> counts_of(const std::vector<Item>& items, size_t groups) {
    std::vector<uint64_t> count(groups, 0);
    for (const Item& item : items) ++count[item.group];
    return count;
}

void group(std::vector<Item>& items, const std::vector<size_t>& layout, const std::vector<uint64_t>& count,
           size_t block) {
    ledger::group_stably(std::span(items), std::span(layout), std::span(count),
                         [](const Item& item) { return size_t(item.group); }, ledger::kNoPrefetch, block);
}

TEST(GroupStably, TwoGroupsKeepTheirOrder) {
    std::vector<Item> items = items_of({1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1});
    const std::vector<size_t> layout{1, 0};
    const std::vector<Item> want = expected_layout(items, layout);
    group(items, layout, counts_of(items, 2), 2);
    EXPECT_EQ(items, want);
}

TEST(GroupStably, RandomGroupsAnyBlockSize) {
    std::mt19937 rng(11);
    for (int round = 0; round < 300; ++round) {
        const size_t groups = 1 + rng() % 6, n = rng() % 400;
        std::vector<uint32_t> of(n);
        // Skewed at times, so some groups are empty and one holds most records.
        const bool skewed = round % 3 == 0;
        for (uint32_t& g : of) g = skewed && rng() % 4 != 0 ? 0 : uint32_t(rng() % groups);
        std::vector<Item> items = items_of(of);
        std::vector<size_t> layout(groups);
        for (size_t g = 0; g < groups; ++g) layout[g] = g;
        std::shuffle(layout.begin(), layout.end(), rng);
        const std::vector<Item> want = expected_layout(items, layout);
        const size_t block = 1 + rng() % 9;
        group(items, layout, counts_of(items, groups), block);
        ASSERT_EQ(items, want) << "round " << round << ", " << groups << " groups, block " << block;
    }
}

TEST(GroupStably, DefaultBlockOnManyRecords) {
    std::mt19937 rng(3);
    std::vector<uint32_t> of(200'000);
    for (uint32_t& g : of) g = uint32_t(rng() % 3);
    std::vector<Item> items = items_of(of);
    const std::vector<size_t> layout{2, 0, 1};
    const std::vector<Item> want = expected_layout(items, layout);
    group(items, layout, counts_of(items, 3), 0);
    EXPECT_EQ(items, want);
}

TEST(GroupStably, RecordsRewrittenByGroupOfAreLaidOutRewritten) {
    std::mt19937 rng(5);
    std::vector<uint32_t> of(5000);
    for (uint32_t& g : of) g = uint32_t(rng() % 4);
    std::vector<Item> items = items_of(of);
    const std::vector<size_t> layout{3, 1, 0, 2};
    std::vector<Item> want = expected_layout(items, layout);
    for (Item& item : want) item.serial += 1000000;
    const std::vector<uint64_t> count = counts_of(items, 4);
    ledger::group_stably(std::span(items), std::span(layout), std::span(count), [](Item& item) {
        item.serial += 1000000;
        return size_t(item.group);
    }, ledger::kNoPrefetch, 7);
    EXPECT_EQ(items, want);
}

TEST(GroupStably, ALayoutThatDoesNotNameEveryGroupOnceIsAnInternalError) {
    for (const std::vector<size_t>& layout : {std::vector<size_t>{0, 0}, std::vector<size_t>{0, 2}, std::vector<size_t>{1},
                                             std::vector<size_t>{}}) {
        std::vector<Item> items = items_of({0, 1, 1, 0, 1});
        try {
            group(items, layout, counts_of(items, 2), 2);
            ADD_FAILURE() << "a layout of " << layout.size() << " groups was taken";
        } catch (const ledger::LedgerError& e) {
            EXPECT_EQ(e.code(), ledger::ExitCode::internal);
        }
    }
}

TEST(GroupStably, NothingToGroup) {
    std::vector<Item> items;
    group(items, {1, 0}, {0, 0}, 4);
    EXPECT_TRUE(items.empty());
}

TEST(GroupStably, MiscountedGroupsAreAnInternalError) {
    std::vector<Item> items = items_of({0, 1, 1, 0, 1});
    std::vector<uint64_t> count = counts_of(items, 2);
    ++count[0];
    --count[1];
    try {
        group(items, {0, 1}, count, 2);
        FAIL() << "a miscount went unnoticed";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::internal);
    }
}

}  // namespace
