// Writing a run back, inside the transaction that read it: the closing balances by one COPY into a
// temporary table and one UPDATE ... FROM, a check that the table now holds exactly those balances, then
// the runs row and the rejected transfers. Nothing is visible before the commit.
#include <cstdio>

#include "database.hpp"
#include "ledger/csv.hpp"
#include "pg.hpp"

namespace ledger::db {
namespace {

// Postgres array literal of texts: {"a","b"} with " and \ escaped.
std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const std::string& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string unix_seconds_text(double seconds) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6f", seconds);
    return text;
}

}  // namespace

void Session::write_back(const std::string& balances_csv, const std::string& rejected_csv, const RunRecord& run) {
    Connection& c = impl_->conn;
    c.exec("CREATE TEMP TABLE ledger_closing (account_number text, country text, balance numeric) ON COMMIT DROP");
    c.copy_in_file("COPY ledger_closing FROM STDIN (FORMAT csv, HEADER true)", balances_csv);
    c.exec("ANALYZE ledger_closing");
    // Rows whose text is unchanged are left alone (fewer dead rows); the text, not the value, so that
    // 100 written back at scale 2 becomes 100.00 as in the balances file.
    c.exec("UPDATE ledger.accounts a SET balance = c.balance FROM ledger_closing c "
           "WHERE a.account_number = c.account_number AND a.balance::text IS DISTINCT FROM c.balance::text");
    // The table must now say what the balances file says, to the digit: a balance column declared with
    // fewer fraction digits than the run's would have rounded, and an account missing from the table
    // (impossible under the lock, but cheap to rule out) would have lost its balance.
    const Result check = c.exec(
        "SELECT c.account_number, a.account_number IS NULL, c.balance::text FROM ledger_closing c "
        "LEFT JOIN ledger.accounts a ON a.account_number = c.account_number "
        "WHERE a.account_number IS NULL OR a.balance::text <> c.balance::text "
        "ORDER BY c.account_number COLLATE \"C\" LIMIT 1",
        {}, PGRES_TUPLES_OK);
    if (PQntuples(check.get()) > 0) {
        const std::string account = one_line(excerpt(PQgetvalue(check.get(), 0, 0)));
        if (PQgetvalue(check.get(), 0, 1)[0] == 't')
            fail(ExitCode::internal, "ledger.accounts: account '" + account + "' of the run is no longer in the table");
        fail(ExitCode::bad_input, "ledger.accounts: account '" + account + "': the balance column cannot hold " +
                                      PQgetvalue(check.get(), 0, 2) + " exactly (too many fraction digits for its type)");
    }
    c.exec("INSERT INTO ledger.runs (run_id, transactions_files, transactions_sha256, started_at, finished_at, ranks, "
           "accounts, transfers, accepted, rejected, bad_rows, amount_moved, ledger_version) "
           "VALUES ($1, $2, $3, to_timestamp($4), clock_timestamp(), $5, $6, $7, $8, $9, $10, NULLIF($11, '')::numeric, $12)",
           {run.run_id, text_array(run.files), text_array(run.files_sha256), unix_seconds_text(run.started_unix_seconds),
            std::to_string(run.ranks), std::to_string(run.accounts), std::to_string(run.transfers),
            std::to_string(run.accepted), std::to_string(run.rejected), std::to_string(run.bad_rows),
            run.amount_moved.value_or(""), run.ledger_version});
    if (rejected_csv.empty()) return;
    // The identity numbers the rows in the order COPY reads them: the replay order of the file.
    c.exec("CREATE TEMP TABLE ledger_rejected (seq bigint GENERATED ALWAYS AS IDENTITY, date text, "
           "from_account_number text, transfer_amount text, to_account_number text, reason text) ON COMMIT DROP");
    c.copy_in_file("COPY ledger_rejected (date, from_account_number, transfer_amount, to_account_number, reason) "
                   "FROM STDIN (FORMAT csv, HEADER true)",
                   rejected_csv);
    c.exec("INSERT INTO ledger.rejected_transfers SELECT $1, seq, coalesce(date, ''), coalesce(from_account_number, ''), "
           "coalesce(transfer_amount, ''), coalesce(to_account_number, ''), reason FROM ledger_rejected",
           {run.run_id});
}

}  // namespace ledger::db
