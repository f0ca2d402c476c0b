// The job's log: spdlog lines on stderr that name the time, the level, the rank (when there are several)
// and the stage (while one runs), e.g.
//   [2026-11-25 14:01:02.345] [info] [rank 0] [replay] 50000 transfers in 0.21 s
//   [2026-11-25 14:01:02.600] [info] 50000 transfers (...) in 3 countries on 1 rank in 0.52 s ...
// Rank 0 speaks for the job; the other ranks stay quiet unless something goes wrong on them or the
// level is debug, so that N ranks do not print N copies of every line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ledger {

// True for the levels --log-level accepts: error, warn, info, debug.
bool is_log_level(std::string_view level);

// Installs the default spdlog logger (spdlog::info(...) etc. then write through it). Throws
// LedgerError(usage) for a level that is_log_level rejects. Call once per rank, before the first log line.
void init_logging(int rank, int rank_count, const std::string& level);

// Names the stage that the following lines belong to ("read", "replay", ...); empty: between stages.
void set_log_stage(std::string_view stage);

// The line that ends a stage: "done in 1.234 s", and with rows "done in 1.234 s: 10000000 transfers on
// this rank, 8103728 a second"; at info for a stage of a second or more, else at debug.
void log_stage_end(double seconds, uint64_t rows, std::string_view rows_what);

}  // namespace ledger
