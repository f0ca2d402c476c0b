// Typed errors of the job. Every failure is raised as a LedgerError carrying the exit code the spec
// assigns to it; main() turns it into exactly one message and one exit status (nowhere else does).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ledger {

enum class ExitCode : int {
    ok = 0,
    usage = 2,      // bad command line
    bad_input = 3,  // bad row, missing column, duplicate account, overflow
    io = 4,         // missing/unreadable input, unwritable output
    internal = 5,   // broken invariant (conservation), bug
};

class LedgerError : public std::runtime_error {
public:
    LedgerError(ExitCode code, const std::string& message, uint64_t order = UINT64_MAX)
        : std::runtime_error(message), code_(code), order_(order) {}
    ExitCode code() const { return code_; }
    // Where in the input the error is (file index, then line), for ranks to agree on the earliest one;
    // UINT64_MAX when it is not about one row.
    uint64_t order() const { return order_; }

private:
    ExitCode code_;
    uint64_t order_;
};

[[noreturn]] inline void fail(ExitCode code, const std::string& message) { throw LedgerError(code, message); }

// The message of an input that turned out not to fit in memory mid-run (an allocation or a mapping
// failed): what failed, then what to do. One wording wherever it is found; the up-front check
// (app/memory_budget.hpp) says the same with its estimate.
inline std::string not_enough_memory(const std::string& what_failed) {
    return "not enough memory: " + what_failed + "; raise the memory limit or use more ranks or nodes (--ingest parallel)";
}

}  // namespace ledger

namespace ledger {

// An error about one transactions row known only by its input position (file index and byte offset),
// raised where line numbers are not at hand (rescaling, replay). The layer that owns the files turns it
// into `file:line: ...` before it is shown.
class PositionedError : public LedgerError {
public:
    PositionedError(ExitCode code, uint64_t position, const std::string& what)
        : LedgerError(code, what), position_(position) {}
    uint64_t position() const { return position_; }

private:
    uint64_t position_;
};

}  // namespace ledger
