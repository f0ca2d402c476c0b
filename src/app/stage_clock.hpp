// One wall-clock timer per stage of the data flow, so the report can say where the time went and keep
// communication apart from compute.
#pragma once

#include <array>
#include <chrono>
#include <string_view>

#include "ops/logging.hpp"

namespace ledger {

// resolve_ids and collect are the parallel ingest's alone (the directory; closing balances and rejections
// moving to the ranks that write them); the root ingest reports them as 0.
enum class Stage : int { read_parse, resolve_ids, sort, partition, exchange, replay, collect, gather, write, count };
inline constexpr int kStageCount = int(Stage::count);
inline constexpr std::array<std::string_view, kStageCount> kStageNames = {
    "read_parse", "resolve_ids", "sort", "partition", "exchange", "replay", "collect", "gather", "write"};

struct StageTimes {
    std::array<double, kStageCount> seconds{};
};

// Adds the time from construction to destruction to one stage, and names the stage in log lines
// meanwhile.
class StageTimer {
public:
    StageTimer(StageTimes& times, Stage stage)
        : times_(times), stage_(stage), start_(std::chrono::steady_clock::now()) {
        set_log_stage(kStageNames[size_t(stage)]);
    }
    ~StageTimer() {
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
        times_.seconds[size_t(stage_)] += elapsed.count();
        set_log_stage("");
    }
    StageTimer(const StageTimer&) = delete;
    StageTimer& operator=(const StageTimer&) = delete;

private:
    StageTimes& times_;
    Stage stage_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace ledger
