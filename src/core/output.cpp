#include "ledger/output.hpp"

#include "ledger/prefault.hpp"

namespace ledger {

void append_balance_rows(std::string& out, const AccountTable& accounts, std::span<const int128> balances, int scale) {
    for (size_t i = 0; i < accounts.size(); ++i) {
        append_csv_field(out, accounts.ids[i]);
        out.push_back(',');
        append_csv_field(out, accounts.countries[accounts.country[i]]);
        out.push_back(',');
        append_units(out, balances[i], scale);
        out.push_back('\n');
    }
}

std::string format_balances(const AccountTable& accounts, std::span<const int128> balances, int scale) {
    std::string out;
    reserve_huge(out, 32 + accounts.size() * size_t(24 + scale));
    out += kBalancesHeader;
    append_balance_rows(out, accounts, balances, scale);
    return out;
}

void append_rejected_row(std::string& out, const TransferFields& fields, Reason reason) {
    append_csv_field(out, fields.date);
    out.push_back(',');
    append_csv_field(out, fields.from);
    out.push_back(',');
    append_csv_field(out, fields.amount);
    out.push_back(',');
    append_csv_field(out, fields.to);
    out.push_back(',');
    out += reason_name(reason);
    out.push_back('\n');
}

void append_quarantine_row(std::string& out, const BadRow& row) {
    append_csv_field(out, row.file);
    out.push_back(',');
    out += std::to_string(row.line);
    out.push_back(',');
    append_csv_field(out, row.error);
    out.push_back(',');
    append_csv_field(out, row.raw);
    out.push_back('\n');
}

}  // namespace ledger
