// Reading the accounts: one COPY of the whole table in key order, written as it comes to an accounts CSV
// that the job then reads like any other. Each row is checked on the way, so that a value the job would
// refuse (or read differently) is reported by its account, not by a line of a temporary file.
#include <cstdio>
#include <memory>
#include <optional>

#include "database.hpp"
#include "ledger/csv.hpp"
#include "ledger/decimal.hpp"
#include "ledger/accounts.hpp"
#include "pg.hpp"

namespace ledger::db {
namespace {

// The account numbers and countries are always quoted (FORCE_QUOTE), so that spaces around them, which
// the CSV rules trim, are kept exactly, and a NULL (never quoted) stands apart from an empty text. Byte
// order (COLLATE "C") rather than the database's locale: the same order on every server.
constexpr const char* kExport =
    "COPY (SELECT account_number, country, balance FROM ledger.accounts ORDER BY account_number COLLATE \"C\") "
    "TO STDOUT (FORMAT csv, FORCE_QUOTE (account_number, country))";

// One field of a row in PostgreSQL's CSV output: nullopt for NULL (unquoted and empty).
using Field = std::optional<std::string>;

// Splits one exported row (it ends with its line feed) into its fields.
std::vector<Field> split_row(std::string_view row) {
    if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
    std::vector<Field> fields;
    size_t i = 0;
    for (;;) {
        if (i < row.size() && row[i] == '"') {
            std::string value;
            for (++i; i < row.size(); ++i) {
                if (row[i] != '"') {
                    value += row[i];
                } else if (i + 1 < row.size() && row[i + 1] == '"') {
                    value += '"';
                    ++i;
                } else {
                    ++i;
                    break;
                }
            }
            fields.emplace_back(std::move(value));
        } else {
            const size_t end = std::min(row.find(',', i), row.size());
            if (end == i) fields.emplace_back(std::nullopt);
            else fields.emplace_back(std::string(row.substr(i, end - i)));
            i = end;
        }
        if (i >= row.size()) break;
        ++i;  // the comma
    }
    return fields;
}

[[noreturn]] void bad_value(const std::string& account, const std::string& what) {
    fail(ExitCode::bad_input, "ledger.accounts: account '" + one_line(excerpt(account)) + "': " + what);
}

void check_row(const std::vector<Field>& f, int max_fraction_digits) {
    if (f.size() != 3) fail(ExitCode::internal, "COPY of ledger.accounts gave a row of " + std::to_string(f.size()) + " fields");
    if (!f[0] || f[0]->empty()) fail(ExitCode::bad_input, "ledger.accounts: an account with an empty or NULL account_number");
    const std::string& account = *f[0];
    if (account.size() > kMaxIdBytes) bad_value(account, "account_number longer than " + std::to_string(kMaxIdBytes) + " bytes");
    if (!f[1]) bad_value(account, "country is NULL");
    if (f[1]->empty()) bad_value(account, "country is empty");
    if (f[1]->size() > kMaxIdBytes) bad_value(account, "country longer than " + std::to_string(kMaxIdBytes) + " bytes");
    if (!f[2]) bad_value(account, "balance is NULL");
    std::string why;
    const auto balance = parse_decimal(*f[2], &why);
    if (!balance) bad_value(account, "balance '" + one_line(excerpt(*f[2])) + "' is not a valid amount (" + why + ")");
    if (balance->scale > max_fraction_digits)
        bad_value(account, "balance '" + *f[2] + "': " + too_many_fraction_digits(balance->scale, max_fraction_digits));
}

struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

uint64_t Session::export_accounts(const std::string& csv_path, int max_fraction_digits) {
    std::unique_ptr<std::FILE, FileClose> out(std::fopen(csv_path.c_str(), "we"));
    if (!out) fail(ExitCode::io, "cannot write '" + csv_path + "'");
    std::vector<char> buffer(size_t{1} << 20);
    std::setvbuf(out.get(), buffer.data(), _IOFBF, buffer.size());
    std::fputs("accountNumber,country,balance\n", out.get());
    uint64_t accounts = 0;
    impl_->conn.copy_out(kExport, [&](std::string_view row) {
        check_row(split_row(row), max_fraction_digits);
        std::fwrite(row.data(), 1, row.size(), out.get());
        ++accounts;
    });
    const bool written = !std::ferror(out.get());
    if (std::fclose(out.release()) != 0 || !written) fail(ExitCode::io, "cannot write '" + csv_path + "'");
    return accounts;
}

}  // namespace ledger::db
