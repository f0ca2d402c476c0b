// Writing a run back, inside the transaction that read it: the closing balances by one COPY into a
// temporary table and one UPDATE ... FROM (checked afterwards where the column could round them), then
// the runs row and the rejected transfers. Nothing is visible before the commit.
#include <cstdio>

#include "database.hpp"
#include "ledger/csv.hpp"
#include "ledger/input_file.hpp"
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


// The table must now say what the balances file says, to the digit. Under the lock no account can have
// gone; a missing one is still reported rather than assumed.
void check_written(Connection& c) {
    const Result check = c.exec(
        "SELECT c.account_number, a.account_number IS NULL, c.balance::text FROM ledger_closing c "
        "LEFT JOIN ledger.accounts a ON a.account_number = c.account_number "
        "WHERE a.account_number IS NULL OR a.balance::text <> c.balance::text "
        "ORDER BY c.account_number COLLATE \"C\" LIMIT 1",
        {}, PGRES_TUPLES_OK);
    if (PQntuples(check.get()) == 0) return;
    const std::string account = one_line(excerpt(PQgetvalue(check.get(), 0, 0)));
    if (PQgetvalue(check.get(), 0, 1)[0] == 't')
        fail(ExitCode::internal, "ledger.accounts: account '" + account + "' of the run is no longer in the table");
    fail(ExitCode::bad_input, "ledger.accounts: account '" + account + "': the balance column cannot hold " +
                                  PQgetvalue(check.get(), 0, 2) + " exactly (too many fraction digits for its type)");
}

// The rejected transfers go straight into their table by one COPY, each row of the rejected CSV (its
// first five fields, written again as the job wrote them) prefixed with the run's number and the row's in
// replay order. A temporary table and an INSERT ... SELECT would write every row twice.
constexpr size_t kRejectedTableColumns = 5;  // date, from, amount, to, reason

void copy_rejected(Connection& c, const std::string& rejected_csv, const std::string& run_number) {
    const InputFile file(rejected_csv);
    const std::string prefix = run_number + ",";
    c.copy_in("COPY ledger.rejected_transfers (run_number, seq, date, from_account_number, transfer_amount, "
              "to_account_number, reason) FROM STDIN (FORMAT csv)",
              [&](const Connection::Put& put) {
                  CsvReader reader(file.text());
                  CsvRow row;
                  if (!reader.next(row)) return;  // the header
                  std::string chunk;
                  uint64_t seq = 0;
                  while (reader.next(row)) {
                      chunk += prefix;
                      chunk += std::to_string(++seq);
                      // The table's five columns; a traced file's file, line and extra columns stay in the file.
                      for (size_t i = 0; i < kRejectedTableColumns && i < row.fields.size(); ++i) {
                          chunk += ',';
                          append_csv_field(chunk, row.fields[i]);
                      }
                      chunk += '\n';
                      if (chunk.size() >= (size_t{1} << 20)) {
                          put(chunk);
                          chunk.clear();
                      }
                  }
                  put(chunk);
              });
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
    // A balance column declared with a scale (numeric(20, 2)) rounds what is written to it: the table must
    // then be checked to hold the balances file's values to the digit. The shipped schema's plain numeric
    // stores every value as given, and the check (a second pass over the table) is left out.
    const Result typmod = c.exec("SELECT atttypmod FROM pg_attribute WHERE attrelid = 'ledger.accounts'::regclass "
                                 "AND attname = 'balance'",
                                 {}, PGRES_TUPLES_OK);
    if (PQntuples(typmod.get()) == 1 && std::string_view(PQgetvalue(typmod.get(), 0, 0)) != "-1") check_written(c);
    const Result inserted = c.exec("INSERT INTO ledger.runs (run_id, transactions_files, transactions_sha256, started_at, finished_at, ranks, "
           "accounts, transfers, accepted, rejected, bad_rows, amount_moved, ledger_version) "
           "VALUES ($1, $2, $3, to_timestamp($4), clock_timestamp(), $5, $6, $7, $8, $9, $10, NULLIF($11, '')::numeric, $12) "
           "RETURNING run_number",
           {run.run_id, text_array(run.files), text_array(run.files_sha256), unix_seconds_text(run.started_unix_seconds),
            std::to_string(run.ranks), std::to_string(run.accounts), std::to_string(run.transfers),
            std::to_string(run.accepted), std::to_string(run.rejected), std::to_string(run.bad_rows),
            run.amount_moved.value_or(""), run.ledger_version},
           PGRES_TUPLES_OK);
    if (!rejected_csv.empty()) copy_rejected(c, rejected_csv, PQgetvalue(inserted.get(), 0, 0));
}

}  // namespace ledger::db
