#include "database.hpp"
#include "pg.hpp"

namespace ledger::db {

Session::Session(const std::string& conninfo) : impl_(std::make_unique<Impl>(conninfo)) {
    // The transaction stays open, idle, while the ranks replay: a server-wide idle timeout must not end it.
    impl_->conn.exec("SET idle_in_transaction_session_timeout = 0");
    // Money and text come back as written, whatever the server's or the user's defaults.
    impl_->conn.exec("SET client_encoding = 'UTF8'");
}

Session::~Session() = default;

std::string Session::describe() const { return impl_->conn.describe(); }

std::optional<std::string> Session::applied_at(const std::string& run_id) {
    const Result r = impl_->conn.exec(
        "SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
        "FROM ledger.runs WHERE run_id = $1",
        {run_id}, PGRES_TUPLES_OK);
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::string(PQgetvalue(r.get(), 0, 0));
}

void Session::begin_locked(const std::function<void()>& on_wait) {
    Connection& c = impl_->conn;
    // SHARE ROW EXCLUSIVE: conflicts with itself and with every INSERT, UPDATE and DELETE, not with
    // readers. Tried without waiting first, only to say why the run stands still if it must wait.
    c.exec("BEGIN");
    const Result tried = c.try_exec("LOCK TABLE ledger.accounts IN SHARE ROW EXCLUSIVE MODE NOWAIT");
    if (PQresultStatus(tried.get()) == PGRES_COMMAND_OK) return;
    const char* state = PQresultErrorField(tried.get(), PG_DIAG_SQLSTATE);
    if (!state || std::string(state) != "55P03") c.fail_with(ExitCode::io, "cannot lock ledger.accounts", tried.get());
    on_wait();
    c.exec("ROLLBACK");
    c.exec("BEGIN");
    c.exec("LOCK TABLE ledger.accounts IN SHARE ROW EXCLUSIVE MODE");
}

void Session::commit() { impl_->conn.exec("COMMIT"); }

}  // namespace ledger::db
