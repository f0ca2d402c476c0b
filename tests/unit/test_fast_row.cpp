// The fast row path of the transactions reader (fast_row.hpp) against the general CSV path: for every row
// the fast path accepts it must give the same record, and a row it declines must still be read, so a
// whole file read with the fast path must equal the same file read with fast_rows = false: the same
// records (accounts, amount and scale, instant, position, reason; amounts wider than a record kept beside
// it alike), the same bad rows with the same lines and messages, and the same largest scale. Rows come
// from a generator of the shapes banks export and are then mutated byte by byte with the characters that
// matter to CSV, dates and amounts. The fast path reads each file both from the text and through a small
// read_at buffer, as the ingests do, so rows that straddle a refill are read too.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/errors.hpp"
#include "row_mutation.hpp"
#include "ledger/fast_row.hpp"
#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"

namespace {

using ledger::BadRowPolicy;
using ledger::BadRowSink;
using ledger::Transfer;

struct Read {
    std::vector<Transfer> records;
    std::vector<ledger::WideAmount> wide;
    std::vector<std::string> bad;  // "line|message|raw"
    int max_scale = 0;
};

// How the fast path gets its text: straight from `text`, or through a buffer refilled with read_at (small
// here, so that a file takes many refills), or through one whose reads fail after the second refill.
enum class Source { text, window, failing_window };

Read read_all(const std::string& text, const ledger::AccountTable& accounts, bool fast, Source source = Source::text) {
    ledger::TransferText file;
    file.text = text;
    file.file_name = "tx.csv";
    file.fast_rows = fast;
    int reads = 0;
    if (source != Source::text) {
        file.read_window_bytes = 2 * ledger::kMaxFastRowBytes + 1 + text.size() % 97;
        file.read_at = [&](uint64_t offset, char* out, size_t bytes) -> size_t {
            if (source == Source::failing_window && ++reads > 2) return 0;
            const size_t n = std::min(bytes, text.size() - size_t(offset));
            std::copy_n(text.data() + offset, n, out);
            return n;
        };
    }
    BadRowSink bad(BadRowPolicy::skip);
    Read read;
    read.max_scale = ledger::read_transfer_file(file, accounts, bad, read.records, read.wide);
    for (const ledger::BadRow& row : bad.rows())
        read.bad.push_back(std::to_string(row.line) + "|" + row.error + "|" + std::string(row.raw));
    return read;
}

void expect_same(const Read& fast, const Read& general, const std::string& text) {
    ASSERT_EQ(fast.records.size(), general.records.size()) << text;
    for (size_t i = 0; i < fast.records.size(); ++i) {
        const Transfer &a = fast.records[i], &b = general.records[i];
        EXPECT_TRUE(ledger::amount_of(a, fast.wide) == ledger::amount_of(b, general.wide) &&
                    a.amount_scale() == b.amount_scale() && a.instant() == b.instant() && a.position() == b.position() &&
                    a.from == b.from && a.to == b.to && a.reason() == b.reason())
            << "record " << i << " differs in\n" << text;
    }
    EXPECT_EQ(fast.wide.size(), general.wide.size()) << text;
    EXPECT_EQ(fast.bad, general.bad) << text;
    EXPECT_EQ(fast.max_scale, general.max_scale) << text;
}

ledger::AccountTable accounts_from(const std::string& csv) {
    BadRowSink bad(BadRowPolicy::fail);
    return ledger::read_accounts(csv, "accounts.csv", bad);
}

// Integer ids 100..139 (the dense slot table) in three countries.
std::string integer_accounts() {
    std::string csv = "accountNumber,country,balance\n";
    for (int i = 100; i < 140; ++i) csv += std::to_string(i) + "," + "C" + std::to_string(i % 3) + ",1000.5\n";
    return csv;
}

// String ids (the hash map), one of them with an inner space.
std::string string_accounts() {
    std::string csv = "accountNumber,country,balance\n";
    for (int i = 0; i < 40; ++i) csv += "AC-" + std::to_string(i) + "," + "C" + std::to_string(i % 3) + ",77\n";
    return csv + "A B,C0,5\n";
}

std::string random_row(std::mt19937_64& rng, bool integer_ids) {
    auto pick = [&](std::initializer_list<const char*> options) {
        return std::string(*(options.begin() + rng() % options.size()));
    };
    const std::string day = std::to_string(2000 + rng() % 30) + "-" + pick({"01", "02", "12", "13", "00"}) + "-" +
                            pick({"01", "28", "29", "30", "31", "32"});
    const std::string time = pick({"00", "09", "23", "24"}) + ":" + pick({"00", "59", "60"}) +
                             pick({":00", ":30", ":59", ":59", ":60", ""});
    // Zones and fractions in and out of range, whole and cut short, alone and together.
    const std::string fraction = pick({"", "", "", ".5", ".07", ".123456789", ".1234567891", ".", ".000000001"});
    const std::string zone = pick({"", "", "Z", "z", "+01:00", "-14:00", "+23:59", "-00:00", "+24:00", "-01:60",
                                   "+1:00", "+01:0", "+0100", "+01:00Z", "Zz", "-"});
    const std::string date = day + pick({"T", "T", "T", "t", " "}) + time + fraction + zone;
    const std::string amount = pick({"1", "250", "0", "007", "12.5", "0.01", "1.", ".5", "-3", "+4",
                                     "123456789012345678", "1234567890123456789", "99999999999999999999",
                                     "1.000000000000000001", "1e3", "", "9223372036854775808", "-9223372036854775808",
                                     "170141183460469231731687303715884105727"});
    auto id = [&] {
        if (integer_ids) return pick({"100", "101", "117", "139", "140", "99", "0100", "+101", "1"});
        return pick({"AC-1", "AC-2", "AC-39", "AC-40", "A B", "ac-1", "AC-1 "});
    };
    const std::string from = id(), to = rng() % 8 == 0 ? from : id();
    // Now and then leading zeros make the row long: it then spans the fast path's 64-byte blocks, and
    // around 512 bytes it reaches the length past which the fast path declines.
    const std::string padding = rng() % 8 == 0 ? std::string(rng() % 600, '0') : std::string();
    return date + "," + from + "," + padding + amount + "," + to;
}

// One byte replaced, inserted or deleted, with one of the characters CSV, dates and amounts care about (NUL too).
std::string mutate(const std::string& row, std::mt19937_64& rng) {
    static const std::string kBytes = std::string(" \t\",\r\n0-9:.TZ+a") + '\0';
    return ledger_test::mutate_one_byte(row, rng, kBytes);
}

void check_random_files(const std::string& accounts_csv, bool integer_ids, uint64_t seed) {
    const ledger::AccountTable accounts = accounts_from(accounts_csv);
    ASSERT_EQ(integer_ids, !accounts.slot_by_number.empty());
    std::mt19937_64 rng(seed);
    for (int file = 0; file < 300; ++file) {
        std::string text = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
        const int rows = 1 + int(rng() % 40);
        for (int r = 0; r < rows; ++r) {
            std::string row = random_row(rng, integer_ids);
            if (rng() % 4 == 0) row = mutate(row, rng);
            text += row;
            if (r + 1 < rows || rng() % 3) text += rng() % 10 == 0 ? "\r\n" : "\n";
        }
        const Read general = read_all(text, accounts, false);
        expect_same(read_all(text, accounts, true), general, text);
        expect_same(read_all(text, accounts, true, Source::window), general, text);
        expect_same(read_all(text, accounts, true, Source::failing_window), general, text);
    }
}

TEST(FastRow, SameAsGeneralPathWithIntegerIds) { check_random_files(integer_accounts(), true, 1); }

TEST(FastRow, SameAsGeneralPathWithStringIds) { check_random_files(string_accounts(), false, 2); }

TEST(FastRow, ReorderedAndExtraColumnsGoTheGeneralWay) {
    const ledger::AccountTable accounts = accounts_from(integer_accounts());
    const std::string text =
        "toAccountNumber,transferAmount,date,fromAccountNumber\n101,5,2024-01-01T00:00:00,100\n"
        "101,5,2024-01-01T00:00:00,100,extra\n";
    const Read fast = read_all(text, accounts, true);
    expect_same(fast, read_all(text, accounts, false), text);
    ASSERT_EQ(fast.records.size(), 1u);
    EXPECT_EQ(fast.records[0].from, 0u);
    EXPECT_EQ(fast.records[0].to, 1u);
    EXPECT_EQ(fast.bad.size(), 1u);
}

// The prefetch window holds records back; a file longer than the window must still resolve every one.
TEST(FastRow, EveryRecordResolvedPastThePrefetchWindow) {
    const ledger::AccountTable accounts = accounts_from(integer_accounts());
    std::string text = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
    for (int i = 0; i < 100; ++i)
        text += "2024-01-01T00:00:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + "," +
                std::to_string(100 + i % 40) + ",3," + std::to_string(100 + (i + 3) % 40) + "\n";
    const Read fast = read_all(text, accounts, true);
    expect_same(fast, read_all(text, accounts, false), text);
    ASSERT_EQ(fast.records.size(), 100u);
    for (const Transfer& t : fast.records) {
        EXPECT_NE(t.from, ledger::kUnknownAccount);
        EXPECT_NE(t.to, ledger::kUnknownAccount);
    }
}

// With read_at set, the fast path must take its rows from the buffer read_at fills, not from `text`
// (which only the general path reads then): here read_at hands out amounts of 7 where the text says 3,
// so the records show which one each row came from. Rows the fast path declines (the quoted one) come
// from the text.
TEST(FastRow, WithReadAtTheFastPathReadsThroughTheBuffer) {
    const ledger::AccountTable accounts = accounts_from(integer_accounts());
    std::string text = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
    for (int i = 0; i < 200; ++i)
        text += i == 150 ? "2024-01-01T00:00:00,100,\"3\",101\n" : "2024-01-01T00:00:00,100,3,101\n";
    std::string on_disk = text;
    std::replace(on_disk.begin(), on_disk.end(), '3', '7');  // only the amounts and the quoted one hold a 3
    ledger::TransferText file;
    file.text = text;
    file.file_name = "tx.csv";
    file.read_window_bytes = 2 * ledger::kMaxFastRowBytes + 100;
    file.read_at = [&](uint64_t offset, char* out, size_t bytes) {
        const size_t n = std::min(bytes, on_disk.size() - size_t(offset));
        std::copy_n(on_disk.data() + offset, n, out);
        return n;
    };
    BadRowSink bad(BadRowPolicy::fail);
    std::vector<Transfer> records;
    std::vector<ledger::WideAmount> wide;
    ledger::read_transfer_file(file, accounts, bad, records, wide);
    ASSERT_EQ(records.size(), 200u);
    for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].amount, i == 150 ? 3 : 7) << "row " << i;
}

}  // namespace
