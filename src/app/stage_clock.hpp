// One wall-clock timer per stage of the data flow, so the report can say where the time went and keep
// communication apart from compute.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string_view>

#include "ops/logging.hpp"

namespace ledger {

// resolve_ids and collect are the parallel ingest's alone (the directory; closing balances and rejections
// moving to the ranks that write them); the root ingest reports them as 0. digest is the input digests'
// (stages/input_digests.hpp).
enum class Stage : int { read_parse, digest, resolve_ids, sort, partition, exchange, replay, collect, gather, write, count };
inline constexpr int kStageCount = int(Stage::count);
inline constexpr std::array<std::string_view, kStageCount> kStageNames = {
    "read_parse", "digest", "resolve_ids", "sort", "partition", "exchange", "replay", "collect", "gather", "write"};

struct StageTimes {
    std::array<double, kStageCount> seconds{};
};

// Adds the time from construction to destruction to one stage, names the stage in log lines meanwhile,
// and says at its end how long it took (and how many rows this rank did, when told): a long run under
// mpirun, whose stderr is no terminal for a progress bar, is not silent between its first and last lines.
// Only rank 0 logs at info (logging.hpp).
class StageTimer {
public:
    StageTimer(StageTimes& times, Stage stage)
        : times_(times), stage_(stage), start_(std::chrono::steady_clock::now()) {
        set_log_stage(kStageNames[size_t(stage)]);
    }
    ~StageTimer() {
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
        times_.seconds[size_t(stage_)] += elapsed.count();
        if (std::uncaught_exceptions() == 0) log_stage_end(elapsed.count(), rows_, rows_what_);  // a failed stage says so itself
        set_log_stage("");
    }
    // The rows this rank handled in the stage, for its end line ("transfers", "accounts").
    void set_rows(uint64_t rows, std::string_view what) {
        rows_ = rows;
        rows_what_ = what;
    }
    StageTimer(const StageTimer&) = delete;
    StageTimer& operator=(const StageTimer&) = delete;

private:
    StageTimes& times_;
    Stage stage_;
    std::chrono::steady_clock::time_point start_;
    uint64_t rows_ = 0;
    std::string_view rows_what_;
};

}  // namespace ledger
