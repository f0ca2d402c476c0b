// Test helper: runs the pure core of the job on in-memory CSV text, the way one rank replaying every
// country would (read_accounts -> read_transfer_file -> rescale -> sort_for_replay -> replay ->
// conservation check -> format_balances / rejected rows). Scenario and differential tests use it so that
// they state inputs and expected outputs as text, exactly as a user sees them.
//
// Also holds the small int128 helpers the tests need (GoogleTest cannot print __int128).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/csv.hpp"
#include "ledger/decimal.hpp"
#include "ledger/errors.hpp"
#include "ledger/order.hpp"
#include "ledger/output.hpp"
#include "ledger/records.hpp"
#include "ledger/replay.hpp"
#include "ledger/transfers.hpp"

namespace ledger_test {

using ledger::int128;
using ledger::uint128;

// Decimal text of an int128, written without the core so that a bug there cannot hide here.
inline std::string i128_str(int128 value) {
    if (value == 0) return "0";
    bool negative = value < 0;
    uint128 magnitude = negative ? uint128(0) - uint128(value) : uint128(value);
    std::string digits;
    while (magnitude != 0) {
        digits.insert(digits.begin(), char('0' + int(magnitude % 10)));
        magnitude /= 10;
    }
    return negative ? "-" + digits : digits;
}

// An int128 literal from decimal text (tests only; the text is trusted to fit).
inline int128 i128(std::string_view text) {
    bool negative = !text.empty() && text[0] == '-';
    if (negative) text.remove_prefix(1);
    uint128 magnitude = 0;
    for (char c : text) {
        if (c < '0' || c > '9') throw std::invalid_argument("bad int128 literal");
        magnitude = magnitude * 10 + uint128(c - '0');
    }
    return negative ? int128(uint128(0) - magnitude) : int128(magnitude);
}

inline constexpr int128 kInt128Max = int128(~uint128(0) >> 1);
inline constexpr int128 kInt128Min = -kInt128Max - 1;

#define EXPECT_I128_EQ(a, b) EXPECT_EQ(::ledger_test::i128_str(a), ::ledger_test::i128_str(b))

struct CoreResult {
    std::string balances;  // balances CSV as format_balances writes it
    std::string rejected;  // kRejectedHeader then one row per rejection, in replay order
    std::vector<ledger::BadRow> bad_rows;
    std::vector<ledger::Rejection> rejections;  // in replay order
    ledger::ReplayTotals totals;
    int scale = 0;
};

inline std::string transactions_file_name(size_t index) {
    return "transactions" + std::to_string(index + 1) + ".csv";
}

// Runs the core on the given accounts text and transactions texts (read in the order given).
// Throws whatever the core throws (LedgerError, PositionedError).
inline CoreResult run_core(std::string_view accounts_csv, const std::vector<std::string>& transaction_csvs,
                           ledger::BadRowPolicy policy = ledger::BadRowPolicy::fail) {
    CoreResult result;
    ledger::BadRowSink bad(policy);
    ledger::AccountTable accounts = ledger::read_accounts(accounts_csv, "accounts.csv", bad);

    std::vector<ledger::Transfer> transfers;
    std::vector<ledger::WideAmount> wide;
    int scale = accounts.max_scale;
    for (size_t i = 0; i < transaction_csvs.size(); ++i) {
        ledger::TransferText file;
        file.text = transaction_csvs[i];
        file.file_name = transactions_file_name(i);
        file.file_index = uint32_t(i);
        scale = std::max(scale, ledger::read_transfer_file(file, accounts, bad, transfers, wide));
    }

    std::vector<int128> balances(accounts.size());
    for (size_t a = 0; a < accounts.size(); ++a) {
        if (!ledger::rescale(accounts.opening(a), scale, &balances[a])) {
            throw ledger::LedgerError(ledger::ExitCode::bad_input, "opening balance overflows");
        }
    }
    ledger::rescale_transfers(transfers, wide, scale);
    ledger::sort_for_replay(transfers);

    auto before = ledger::country_sums(balances, accounts.country, accounts.countries.size());
    ledger::replay(transfers, wide, balances, result.rejections, result.totals);
    auto after = ledger::country_sums(balances, accounts.country, accounts.countries.size());
    std::vector<int> owner(accounts.countries.size(), 0);
    ledger::check_conservation(before, after, owner, 0);

    ledger::sort_for_replay(result.rejections);
    result.rejected = std::string(ledger::kRejectedHeader);
    for (const ledger::Rejection& r : result.rejections) {
        uint32_t file_index = ledger::position_file(r.position());
        if (file_index >= transaction_csvs.size()) throw std::logic_error("rejection names no input file");
        std::string_view text = transaction_csvs[file_index];
        ledger::CsvReader reader(text);
        ledger::CsvRow header_row;
        if (!reader.next(header_row)) throw std::logic_error("rejection in a file without header");
        ledger::HeaderMap header =
            ledger::resolve_header(header_row, ledger::kTransferColumns, transactions_file_name(file_index));
        uint64_t offset = ledger::position_offset(r.position());
        if (offset >= text.size()) throw std::logic_error("rejection offset past the end of its file");
        ledger::append_rejected_row(result.rejected, ledger::fields_of_row(text.substr(offset), header),
                                    r.reason());
    }

    result.balances = ledger::format_balances(accounts, balances, scale);
    result.bad_rows = bad.rows();
    result.scale = scale;
    return result;
}

inline CoreResult run_core(std::string_view accounts_csv, std::string_view transactions_csv,
                           ledger::BadRowPolicy policy = ledger::BadRowPolicy::fail) {
    return run_core(accounts_csv, std::vector<std::string>{std::string(transactions_csv)}, policy);
}

}  // namespace ledger_test
