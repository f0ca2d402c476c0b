// The pure pieces the parallel ingest is built from, each against a plain twin:
//  - an accounts file read in parts (any cuts on row starts, as the ranks read their shares) gives the
//    rows the whole-file read gives, with the same lines, and each part ends where the next begins;
//  - IdDictionary gives one key per distinct id (by hash), or the id's value less the base (numbered),
//    and lists exactly the ids it was given;
//  - transactions read with interned keys and then resolved (resolve_static_rejections) are split into
//    the same rejections and transfers to replay as a read against a whole accounts table, and the
//    transfers to replay are counted by their sender's country;
//  - choose_splitters cuts sorted samples into ranges of about equal size, in order; with
//    samples_per_rank regular samples of each rank's sorted list, two to four ranks whose keys are
//    spread very unevenly get ranges within 5% of the fair share.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/chunking.hpp"
#include "ledger/id_dictionary.hpp"
#include "ledger/splitters.hpp"
#include "ledger/static_rejections.hpp"
#include "ledger/transfers.hpp"

namespace ledger {
namespace {

std::string accounts_text(std::mt19937_64& rng, size_t rows) {
    std::string text = "accountNumber,country,balance\n";
    for (size_t i = 0; i < rows; ++i) {
        if (rng() % 13 == 0) text += "\n";                                // a blank line
        if (rng() % 17 == 0) text += "\"q\nq" + std::to_string(i) + "\",NL,1\n";  // a quoted line break
        else if (rng() % 19 == 0) text += "bad row\n";
        else text += std::to_string(1000 + i) + "," + (rng() % 2 ? "NL" : "DE") + "," + std::to_string(rng() % 500) + "\n";
    }
    return text;
}

TEST(AccountParts, PartsTogetherAreTheWholeFile) {
    std::mt19937_64 rng(31);
    for (int round = 0; round < 40; ++round) {
        const std::string text = accounts_text(rng, 1 + rng() % 200);
        BadRowSink whole_bad(BadRowPolicy::skip);
        AccountTable whole;
        uint64_t rows_start = 0, rows_line = 0;
        const HeaderMap header = read_account_header(text, "a.csv", &rows_start, &rows_line);
        read_account_rows(AccountPart{text, "a.csv", header, rows_start, UINT64_MAX, rows_line, true}, whole_bad, whole);
        const int parts = 1 + int(rng() % 5);
        const std::vector<uint64_t> cuts = row_starts_at(text, rows_start, propose_cuts(text, rows_start, parts));
        AccountTable joined;
        BadRowSink joined_bad(BadRowPolicy::skip);
        uint64_t line = rows_line, expected_start = rows_start;
        for (int p = 0; p < parts; ++p) {
            AccountTable part;
            const AccountRowsRead read = read_account_rows(
                AccountPart{text, "a.csv", header, cuts[size_t(p)], cuts[size_t(p) + 1], line, p % 2 == 0}, joined_bad, part);
            // A part's first row is where the part before it stopped (blank lines skipped by both).
            if (p > 0 && read.first_row_offset != UINT64_MAX) {
                EXPECT_EQ(read.first_row_offset, expected_start) << "part " << p << " of " << parts;
            }
            expected_start = read.next_row_offset;
            line += count_line_feeds(std::string_view(text).substr(cuts[size_t(p)], cuts[size_t(p) + 1] - cuts[size_t(p)]));
            for (size_t i = 0; i < part.size(); ++i)
                joined.add(part.ids[i], part.countries[part.country[i]], part.opening(i), part.line[i]);
        }
        ASSERT_EQ(joined.ids, whole.ids);
        EXPECT_EQ(joined.line, whole.line);
        EXPECT_EQ(joined.opening_units, whole.opening_units);
        ASSERT_EQ(joined_bad.rows().size(), whole_bad.rows().size());
        for (size_t i = 0; i < whole_bad.rows().size(); ++i) EXPECT_EQ(joined_bad.rows()[i].line, whole_bad.rows()[i].line);
    }
}

std::map<uint32_t, std::string> listed(const IdDictionary& ids) {
    std::map<uint32_t, std::string> out;
    ids.for_each_id([&](uint32_t key, std::string_view id) { out.emplace(key, std::string(id)); });
    return out;
}

TEST(IdDictionary, OneKeyPerDistinctIdByHash) {
    std::mt19937_64 rng(32);
    IdDictionary ids;
    std::map<std::string, uint32_t> seen;
    for (int i = 0; i < 20000; ++i) {
        const std::string id = "id-" + std::to_string(rng() % 3000) + std::string(rng() % 3, 'x');
        const uint32_t key = ids.intern(id);
        const auto [at, fresh] = seen.emplace(id, key);
        EXPECT_EQ(at->second, key) << id;
        if (fresh) {
            EXPECT_EQ(key, seen.size() - 1);  // keys in order of first sight
        }
    }
    EXPECT_EQ(ids.key_count(), seen.size());
    const std::map<uint32_t, std::string> all = listed(ids);
    ASSERT_EQ(all.size(), seen.size());
    for (const auto& [key, id] : all) EXPECT_EQ(seen.at(id), key);
}

TEST(IdDictionary, NumberedIdsAreTheirValues) {
    IdDictionary ids(100, 50);  // values 100..149
    EXPECT_EQ(ids.intern("100"), 0u);
    EXPECT_EQ(ids.intern("149"), 49u);
    EXPECT_EQ(ids.intern("120"), 20u);
    EXPECT_EQ(ids.intern("120"), 20u);
    // Not an account's id: outside the values, not canonical, not a number. One key, which no account has.
    for (const char* other : {"99", "150", "0120", "+120", "12x", "", "1e2"}) EXPECT_EQ(ids.intern(other), 50u) << other;
    EXPECT_EQ(ids.key_count(), 51u);
    const std::map<uint32_t, std::string> expected{{0, "100"}, {20, "120"}, {49, "149"}};
    EXPECT_EQ(listed(ids), expected);
}

// Transactions read against the whole table, and read with interned keys then resolved, must carry the
// same reasons; the interned read's keys, mapped back to ids, name the same accounts.
void check_resolution(IdDictionary ids, const std::string& accounts, const std::string& transactions) {
    BadRowSink bad(BadRowPolicy::skip);
    const AccountTable table = read_accounts(accounts, "a.csv", bad);
    std::vector<Transfer> by_table, by_key;
    std::vector<WideAmount> wide_table, wide_key;
    read_transfer_file({transactions, "t.csv", 0, 1, 0, UINT64_MAX, {}, true, {}}, table, bad, by_table, wide_table);
    size_t start = 0;
    uint64_t line = 0;
    const HeaderMap header = read_transfer_header({transactions, "t.csv", 0, 1, 0, UINT64_MAX, {}, true, {}}, &start, &line);
    read_transfer_rows({std::string_view(transactions).substr(start), "t.csv", 0, line, start, UINT64_MAX, {}, true, {}},
                       header, ids, bad, by_key, wide_key);
    std::vector<uint32_t> key_country(ids.key_count(), kUnknownAccount);
    ids.for_each_id([&](uint32_t key, std::string_view id) {
        if (const auto account = table.find(id)) key_country[key] = table.country[*account];
    });
    std::vector<Rejection> rejected_by_key, rejected_by_table;
    ReplayTotals totals_by_key, totals_by_table;
    std::vector<uint64_t> kept_per_country(table.countries.size(), 0);
    resolve_static_rejections(by_key, wide_key, key_country, rejected_by_key, totals_by_key, kept_per_country);
    split_static_rejections(by_table, wide_table, rejected_by_table, totals_by_table);
    ASSERT_EQ(by_key.size(), by_table.size());
    std::vector<uint64_t> expected_per_country(table.countries.size(), 0);
    for (size_t i = 0; i < by_key.size(); ++i) {
        EXPECT_EQ(by_key[i].reason(), Reason::none) << "row " << i;
        EXPECT_EQ(by_key[i].position(), by_table[i].position());
        EXPECT_EQ(by_key[i].amount, by_table[i].amount);
        ++expected_per_country[table.country[by_table[i].from]];
    }
    EXPECT_EQ(kept_per_country, expected_per_country);
    ASSERT_EQ(rejected_by_key.size(), rejected_by_table.size());
    for (size_t i = 0; i < rejected_by_key.size(); ++i) {
        EXPECT_EQ(rejected_by_key[i].reason(), rejected_by_table[i].reason()) << "rejection " << i;
        EXPECT_EQ(rejected_by_key[i].position(), rejected_by_table[i].position());
    }
    EXPECT_EQ(totals_by_key.rejected, totals_by_table.rejected);
    ASSERT_EQ(wide_key.size(), wide_table.size());
    for (size_t i = 0; i < wide_key.size(); ++i) EXPECT_EQ(wide_key[i].position, wide_table[i].position);
}

TEST(ResolveStaticRejections, SameAsReadingAgainstTheTable) {
    const std::string accounts = "accountNumber,country,balance\n1,NL,10\n2,NL,5\n3,DE,7\n5,DE,0\n";
    std::string transactions = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
    std::mt19937_64 rng(33);
    const char* ids[] = {"1", "2", "3", "4", "5", "01", "x", "\"2\""};
    const char* amounts[] = {"1", "0", "-3", "2.5", "123456789012345678901234567890"};
    for (int i = 0; i < 3000; ++i)
        transactions += "2024-01-01T00:00:" + std::to_string(10 + i % 50) + "," + ids[rng() % 8] + "," + amounts[rng() % 5] +
                        "," + ids[rng() % 8] + "\n";
    check_resolution(IdDictionary(), accounts, transactions);
    check_resolution(IdDictionary(1, 5), accounts, transactions);
}

TEST(ChooseSplitters, EvenRangesInOrder) {
    std::vector<RegularSample> samples;
    for (uint64_t i = 0; i < 400; ++i) samples.push_back({OrderKey{0, (i * 7919) % 400}, 1000});
    const std::vector<OrderKey> splitters = choose_splitters(samples, 4);
    ASSERT_EQ(splitters.size(), 3u);
    EXPECT_EQ(splitters[0].low, 100u);
    EXPECT_EQ(splitters[1].low, 200u);
    EXPECT_EQ(splitters[2].low, 300u);
    EXPECT_TRUE(choose_splitters({}, 4).empty());  // nothing rejected anywhere: every range empty
    EXPECT_TRUE(choose_splitters(samples, 1).empty());
}

TEST(ChooseSplitters, RegularSamplesOfUnevenListsGiveNearlyEvenRanges) {
    std::mt19937_64 rng(7);
    for (int parts = 2; parts <= 4; ++parts) {
        // Rank r holds more keys than rank r - 1, drawn from a range of its own width: the ranks overlap,
        // densely and thinly. Keys are distinct, as a record's position makes them.
        std::vector<std::vector<OrderKey>> lists(static_cast<size_t>(parts));
        size_t total = 0;
        for (int r = 0; r < parts; ++r) {
            const size_t count = 20000 + 15000 * size_t(r);
            for (size_t i = 0; i < count; ++i)
                lists[size_t(r)].push_back(OrderKey{rng() % (uint64_t{1000} << (3 * r)), total + i});
            std::sort(lists[size_t(r)].begin(), lists[size_t(r)].end());
            total += count;
        }
        std::vector<RegularSample> samples;
        const size_t per_rank = samples_per_rank(parts);
        for (const std::vector<OrderKey>& list : lists)
            for (size_t k = 0; k < per_rank; ++k) samples.push_back({list[list.size() * k / per_rank], list.size()});
        const std::vector<OrderKey> splitters = choose_splitters(samples, parts);
        std::vector<size_t> in_range(static_cast<size_t>(parts), 0);
        for (const std::vector<OrderKey>& list : lists)
            for (const OrderKey& key : list)
                ++in_range[size_t(std::upper_bound(splitters.begin(), splitters.end(), key) - splitters.begin())];
        for (size_t count : in_range) EXPECT_LE(double(count), 1.05 * double(total) / parts) << parts << " parts";
    }
}

}  // namespace
}  // namespace ledger
