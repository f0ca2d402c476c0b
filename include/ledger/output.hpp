// Formatting of the output files. Pure: these build text in memory; writing it safely is io's job.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/records.hpp"
#include "ledger/transfers.hpp"

namespace ledger {

// `accountNumber,country,balance`, one row per account in accounts-file order, every balance with
// exactly `scale` fraction digits: the schema of the input, so today's output is tomorrow's input.
inline constexpr std::string_view kBalancesHeader = "accountNumber,country,balance\n";
std::string format_balances(const AccountTable& accounts, std::span<const int128> balances, int scale);
// The rows alone, for a rank that writes a share of the file.
void append_balance_rows(std::string& out, const AccountTable& accounts, std::span<const int128> balances, int scale);

inline constexpr std::string_view kRejectedHeader = "date,fromAccountNumber,transferAmount,toAccountNumber,reason\n";
void append_rejected_row(std::string& out, const TransferFields& fields, Reason reason);
// The same from the text of the row as it is in its input (row_text starts at the row and may run on to
// the end of the file): a plain row's values are taken as views of the text, any other row is read by
// fields_of_row. A day can reject millions of rows, and most are plain.
void append_rejected_row(std::string& out, std::string_view row_text, const HeaderMap& header, Reason reason);

inline constexpr std::string_view kQuarantineHeader = "file,line,error,row\n";
void append_quarantine_row(std::string& out, const BadRow& row);

}  // namespace ledger
