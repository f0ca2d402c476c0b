#include "pg.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ledger/csv.hpp"

namespace ledger::db {
namespace {

// libpq's messages end with a line feed and may go on with hints over several lines; the job prints one.
std::string first_line(const char* message) {
    std::string text = message ? message : "";
    const auto end = text.find('\n');
    if (end != std::string::npos) text.resize(end);
    return one_line(text.empty() ? "unknown error" : text);
}

}  // namespace

Connection::Connection(const std::string& conninfo) {
    // Parsed first so that a malformed string is a bad option (exit 2) rather than an unreachable database,
    // and so that its message, which may quote part of the string, is not shown: it may hold a password.
    char* parse_error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
    if (!parsed) {
        PQfreemem(parse_error);
        fail(ExitCode::usage, "--db is not a valid libpq connection string or URI (see ledger --help)");
    }
    PQconninfoFree(parsed);
    // expand_dbname: the one value may be a key=value string or a URI, as psql takes it.
    const char* keys[] = {"dbname", "fallback_application_name", nullptr};
    const char* values[] = {conninfo.c_str(), "ledger", nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_) fail(ExitCode::io, "cannot connect to the database: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK) {
        try {
            fail_with(ExitCode::io, "cannot connect");
        } catch (...) {
            PQfinish(conn_);  // a constructor that throws gets no destructor
            throw;
        }
    }
}

Connection::~Connection() { PQfinish(conn_); }

std::string Connection::describe() const {
    const char* db = PQdb(conn_);
    const char* host = PQhost(conn_);
    std::string out = "database '" + std::string(db ? db : "?") + "'";
    if (host && *host) out += std::string(host[0] == '/' ? " at socket directory '" : " on host '") + host + "'";
    return out;
}

void Connection::fail_with(ExitCode code, const std::string& what, const PGresult* result) const {
    const char* message = result ? PQresultErrorMessage(result) : nullptr;
    if (!message || !*message) message = PQerrorMessage(conn_);
    fail(code, describe() + ": " + what + ": " + first_line(message));
}

Result Connection::exec(const std::string& sql, const std::vector<std::string>& params, ExecStatusType expected) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    Result r(PQexecParams(conn_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != expected) {
        const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
        // undefined_table, invalid_schema_name, undefined_column: a database without (this) schema
        const bool no_schema = state && (std::string_view(state) == "42P01" || std::string_view(state) == "3F000" ||
                                         std::string_view(state) == "42703");
        fail_with(ExitCode::io, no_schema ? "no ledger schema here (create it with db/schema.sql)" : "statement failed", r.get());
    }
    return r;
}

Result Connection::try_exec(const std::string& sql) { return Result(PQexec(conn_, sql.c_str())); }

void Connection::copy_out(const std::string& sql, const std::function<void(std::string_view)>& row) {
    exec(sql, {}, PGRES_COPY_OUT);
    for (;;) {
        char* buffer = nullptr;
        const int n = PQgetCopyData(conn_, &buffer, 0);
        if (n == -1) break;  // done; the final status follows
        if (n < 0) fail_with(ExitCode::io, "reading ledger.accounts failed");
        // One COPY message carries one row (the protocol's rule for COPY TO).
        const std::unique_ptr<char, decltype(&PQfreemem)> owned(buffer, &PQfreemem);
        row(std::string_view(buffer, size_t(n)));
    }
    const Result end(PQgetResult(conn_));
    if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) fail_with(ExitCode::io, "reading ledger.accounts failed", end.get());
    while (Result more{PQgetResult(conn_)}) {
    }
}

void Connection::copy_in(const std::string& sql, const std::function<void(const Put&)>& produce) {
    exec(sql, {}, PGRES_COPY_IN);
    try {
        produce([&](std::string_view bytes) {
            if (!bytes.empty() && PQputCopyData(conn_, bytes.data(), int(bytes.size())) != 1)
                fail_with(ExitCode::io, "writing back failed");
        });
    } catch (...) {
        // Ends the COPY with an error, so that the server fails it (and the transaction) at once.
        PQputCopyEnd(conn_, "the job stopped writing");
        while (Result more{PQgetResult(conn_)}) {
        }
        throw;
    }
    if (PQputCopyEnd(conn_, nullptr) != 1) fail_with(ExitCode::io, "writing back failed");
    const Result end(PQgetResult(conn_));
    if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) fail_with(ExitCode::io, "writing back failed", end.get());
    while (Result more{PQgetResult(conn_)}) {
    }
}

void Connection::copy_in_file(const std::string& sql, const std::string& path) {
    struct Descriptor {
        int fd;
        ~Descriptor() {
            if (fd >= 0) ::close(fd);
        }
    } const file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    const int fd = file.fd;
    if (fd < 0) fail(ExitCode::io, "cannot read '" + path + "': " + std::strerror(errno));
    copy_in(sql, [&](const Put& put) {
        std::vector<char> buffer(size_t{1} << 20);
        for (;;) {
            const ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail(ExitCode::io, "cannot read '" + path + "': " + std::strerror(errno));
            if (n == 0) break;
            put(std::string_view(buffer.data(), size_t(n)));
        }
    });
}

}  // namespace ledger::db
