#include "ledger/output.hpp"

#include "ledger/plain_row.hpp"
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

namespace {

void append_rejected_values(std::string& out, std::string_view date, std::string_view from, std::string_view amount,
                            std::string_view to, Reason reason) {
    append_csv_field(out, date);
    out.push_back(',');
    append_csv_field(out, from);
    out.push_back(',');
    append_csv_field(out, amount);
    out.push_back(',');
    append_csv_field(out, to);
    out.push_back(',');
    out += reason_name(reason);
    out.push_back('\n');
}

}  // namespace

void append_rejected_row(std::string& out, const TransferFields& fields, Reason reason) {
    append_rejected_values(out, fields.date, fields.from, fields.amount, fields.to, reason);
}

void append_rejected_row(std::string& out, std::string_view row_text, const HeaderMap& header, Reason reason) {
    // Wider headers are rare enough to leave to the general reader.
    constexpr size_t kMaxPlainFields = 16;
    std::string_view fields[kMaxPlainFields];
    if (header.field_count <= kMaxPlainFields && split_plain_row(row_text, 0, fields, header.field_count) != 0) {
        append_rejected_values(out, fields[size_t(header.column[0])], fields[size_t(header.column[1])],
                               fields[size_t(header.column[2])], fields[size_t(header.column[3])], reason);
        return;
    }
    append_rejected_row(out, fields_of_row(row_text, header), reason);
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
