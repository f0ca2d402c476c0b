// A thin RAII layer over libpq for the rest of src/db: results freed on every path, every failure turned
// into one LedgerError line. Private to src/db.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "database.hpp"
#include "ledger/errors.hpp"

namespace ledger::db {

struct ResultFree {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

class Connection {
public:
    explicit Connection(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::string describe() const;

    // Runs one statement with text parameters; throws LedgerError(io) unless it returned `expected`.
    Result exec(const std::string& sql, const std::vector<std::string>& params = {},
                ExecStatusType expected = PGRES_COMMAND_OK);
    // As exec, but returns the result whatever its status (the caller looks at the SQLSTATE).
    Result try_exec(const std::string& sql);

    // COPY ... TO STDOUT: `row` is called with each row as the server sent it (with its line end).
    void copy_out(const std::string& sql, const std::function<void(std::string_view)>& row);
    // COPY ... FROM STDIN with the bytes of `path`.
    void copy_in_file(const std::string& sql, const std::string& path);
    // COPY ... FROM STDIN with whatever `produce` passes to its `put` (any slicing of the data).
    using Put = std::function<void(std::string_view)>;
    void copy_in(const std::string& sql, const std::function<void(const Put&)>& produce);

    // "database 'x' on host: <first line of the server's or libpq's message>", as LedgerError(code).
    [[noreturn]] void fail_with(ExitCode code, const std::string& what, const PGresult* result = nullptr) const;

private:
    PGconn* conn_ = nullptr;
};

}  // namespace ledger::db

namespace ledger::db {

// Session's state (database.hpp), shared by the files that implement it.
struct Session::Impl {
    explicit Impl(const std::string& conninfo) : conn(conninfo) {}
    Connection conn;
};

}  // namespace ledger::db
