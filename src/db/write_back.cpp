// Writing a run back, inside the transaction that read it: the closing balances by one COPY into a
// temporary table and one UPDATE ... FROM (checked afterwards where the column could round them); then,
// once the run id is known not to be applied, the runs row and the rejected transfers. Nothing is visible
// before the commit.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "chunk_queue.hpp"
#include "database.hpp"
#include "ledger/csv.hpp"
#include "ledger/input_file.hpp"
#include "ledger/plain_row.hpp"
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

// PostgreSQL's binary COPY format (the "Binary Format" of the COPY page in its manual): integers in
// network byte order, each row a field count and each field its length and bytes. The server then
// parses nothing: 2.5 million rejected rows went in 20% faster than as CSV.
void append_big_endian(std::string& out, uint64_t value, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) out += char((value >> shift) & 0xff);
}

void append_field(std::string& out, std::string_view value) {
    append_big_endian(out, value.size(), 4);
    out += value;
}

void append_bigint_field(std::string& out, uint64_t value) {
    append_big_endian(out, 8, 4);
    append_big_endian(out, value, 8);
}

// The rows of the binary COPY below, from the job's rejected CSV, in chunks of about 1 MiB. The CSV is
// this run's own: its rows are nearly all plain (plain_row.hpp) and are split as views, without the
// general reader, which takes the others.
void make_rejected_rows(std::string_view rejected_csv, uint64_t run_number, ChunkQueue& queue) {
    constexpr size_t kColumns = 7, kFromCsv = 5, kChunkBytes = size_t{1} << 20, kMaxPlainColumns = 64;
    std::string chunk("PGCOPY\n\377\r\n\0", 11);
    append_big_endian(chunk, 0, 4);  // flags: no OIDs
    append_big_endian(chunk, 0, 4);  // no header extension
    CsvReader reader(rejected_csv);
    CsvRow row;
    if (reader.next(row)) {  // the header
        const size_t columns = row.fields.size();
        if (columns < kFromCsv) fail(ExitCode::internal, "the staged rejected transfers have a short header");
        uint64_t seq = 0;
        std::string_view plain[kMaxPlainColumns];
        const auto add = [&](auto field) {
            append_big_endian(chunk, kColumns, 2);
            append_bigint_field(chunk, run_number);
            append_bigint_field(chunk, ++seq);
            for (size_t f = 0; f < kFromCsv; ++f) append_field(chunk, field(f));
        };
        for (size_t pos = reader.consumed(); pos < rejected_csv.size();) {
            if (const size_t after = columns <= kMaxPlainColumns ? split_plain_row(rejected_csv, pos, plain, columns) : 0) {
                add([&](size_t f) { return plain[f]; });
                pos = after;
            } else {
                reader.seek(pos, 0);
                if (!reader.next(row)) break;
                if (row.fields.size() != columns)
                    fail(ExitCode::internal, "the staged rejected transfers have a malformed row after row " + std::to_string(seq));
                add([&](size_t f) { return std::string_view(row.fields[f]); });
                pos = reader.consumed();
            }
            if (chunk.size() >= kChunkBytes && !queue.push(std::exchange(chunk, std::string()))) return;
        }
    }
    append_big_endian(chunk, uint64_t(0xffff), 2);  // the trailer: a field count of -1
    queue.push(std::move(chunk));
}

// The rejected transfers go straight into their table by one COPY: the run's number, the row's place in
// replay order and the rejected CSV's first five fields as the job wrote them (a traced file's file, line
// and extra columns stay in the file). A temporary table and an INSERT ... SELECT would write every row
// twice.
void copy_rejected(Connection& c, const std::string& rejected_csv, uint64_t run_number) {
    const InputFile file(rejected_csv);
    ChunkQueue queue(16);
    std::thread maker([&] {
        try {
            make_rejected_rows(file.text(), run_number, queue);
            queue.finish();
        } catch (...) {
            queue.finish(std::current_exception());
        }
    });
    try {
        c.copy_in("COPY ledger.rejected_transfers (run_number, seq, date, from_account_number, transfer_amount, "
                  "to_account_number, reason) FROM STDIN (FORMAT binary)",
                  [&](const Connection::Put& put) {
                      while (std::optional<std::string> chunk = queue.pop()) put(*chunk);
                  });
    } catch (...) {
        queue.stop();
        maker.join();
        throw;
    }
    maker.join();
}

}  // namespace

void Session::write_balances(const std::string& balances_csv) {
    Connection& c = impl_->conn;
    c.exec("CREATE TEMP TABLE ledger_closing (account_number text, country text, balance numeric) ON COMMIT DROP");
    c.copy_in_file("COPY ledger_closing FROM STDIN (FORMAT csv, HEADER true)", balances_csv);
    // Not analyzed: the planner's guess from the table's size already gives a hash join, and statistics
    // on a million rows cost a quarter of a second.
    // Rows whose text is unchanged are left alone (fewer dead rows). The text is what must stay, not only
    // the value, so that 100 written back at scale 2 becomes 100.00 as in the balances file; a numeric's
    // text is its value and its scale, and comparing those two skips printing two million numbers.
    c.exec("UPDATE ledger.accounts a SET balance = c.balance FROM ledger_closing c "
           "WHERE a.account_number = c.account_number "
           "AND (a.balance <> c.balance OR scale(a.balance) <> scale(c.balance))");
    // A balance column declared with a scale (numeric(20, 2)) rounds what is written to it: the table must
    // then be checked to hold the balances file's values to the digit. The shipped schema's plain numeric
    // stores every value as given, and the check (a second pass over the table) is left out.
    const Result typmod = c.exec("SELECT atttypmod FROM pg_attribute WHERE attrelid = 'ledger.accounts'::regclass "
                                 "AND attname = 'balance'",
                                 {}, PGRES_TUPLES_OK);
    if (PQntuples(typmod.get()) == 1 && std::string_view(PQgetvalue(typmod.get(), 0, 0)) != "-1") check_written(c);
}

void Session::record_run(const std::string& rejected_csv, const RunRecord& run) {
    Connection& c = impl_->conn;
    const Result inserted = c.exec("INSERT INTO ledger.runs (run_id, transactions_files, transactions_sha256, started_at, finished_at, ranks, "
           "accounts, transfers, accepted, rejected, bad_rows, amount_moved, ledger_version) "
           "VALUES ($1, $2, $3, to_timestamp($4), clock_timestamp(), $5, $6, $7, $8, $9, $10, NULLIF($11, '')::numeric, $12) "
           "RETURNING run_number",
           {run.run_id, text_array(run.files), text_array(run.files_sha256), unix_seconds_text(run.started_unix_seconds),
            std::to_string(run.ranks), std::to_string(run.accounts), std::to_string(run.transfers),
            std::to_string(run.accepted), std::to_string(run.rejected), std::to_string(run.bad_rows),
            run.amount_moved.value_or(""), run.ledger_version},
           PGRES_TUPLES_OK);
    if (!rejected_csv.empty()) copy_rejected(c, rejected_csv, std::stoull(PQgetvalue(inserted.get(), 0, 0)));
}

}  // namespace ledger::db
