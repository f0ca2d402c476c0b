#include "ops/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "ledger/errors.hpp"

namespace ledger {
namespace {

// The stage is job-wide state read by every log line; a mutex is cheap next to writing a line.
std::mutex stage_mutex;
std::string current_stage;  // empty between stages

// "[stage] ", or nothing between stages (a placeholder there would only be noise).
class StageFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
        std::lock_guard lock(stage_mutex);
        if (current_stage.empty()) return;
        dest.push_back('[');
        dest.append(current_stage.data(), current_stage.data() + current_stage.size());
        dest.append(std::string_view("] "));
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<StageFlag>(); }
};

std::optional<spdlog::level::level_enum> parse_level(std::string_view level) {
    if (level == "error") return spdlog::level::err;
    if (level == "warn") return spdlog::level::warn;
    if (level == "info") return spdlog::level::info;
    if (level == "debug") return spdlog::level::debug;
    return std::nullopt;
}

// Rank 0 speaks for the job. The others add nothing at info that rank 0 does not already say, so they
// are held to warnings and errors of their own unless the operator asked for everything.
spdlog::level::level_enum level_for_rank(int rank, spdlog::level::level_enum chosen) {
    if (rank == 0 || chosen == spdlog::level::debug) return chosen;
    return std::max(chosen, spdlog::level::warn);
}

}  // namespace

bool is_log_level(std::string_view level) { return parse_level(level).has_value(); }

void init_logging(int rank, int rank_count, const std::string& level) {
    const auto chosen = parse_level(level);
    if (!chosen) fail(ExitCode::usage, "--log-level: expected error, warn, info or debug, got '" + level + "'");

    // Rank numbers padded to the widest one keep the columns of a many-rank debug log aligned. A job of
    // one rank has no other rank to tell it from: no rank at all.
    const int width = int(std::to_string(std::max(rank_count - 1, 0)).size());
    std::string rank_text = std::to_string(rank);
    rank_text.insert(0, size_t(std::max(0, width - int(rank_text.size()))), ' ');
    const std::string rank_field = rank_count > 1 ? "[rank " + rank_text + "] " : "";

    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<StageFlag>('k').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] " + rank_field + "%k%v");

    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
    auto logger = std::make_shared<spdlog::logger>("ledger", std::move(sink));
    logger->set_formatter(std::move(formatter));
    logger->set_level(level_for_rank(rank, *chosen));
    // Warnings and errors must reach the terminal even if the job is killed right after them.
    logger->flush_on(spdlog::level::info);  // a stage end line shows when it happens, not at exit
    spdlog::set_default_logger(std::move(logger));
}

void set_log_stage(std::string_view stage) {
    std::lock_guard lock(stage_mutex);
    current_stage = std::string(stage);
}

void log_stage_end(double seconds, uint64_t rows, std::string_view rows_what) {
    // A stage of a second or more is worth a line; shorter ones would only crowd a small run's output
    // (and its one error line), so they are shown at debug.
    const auto level = seconds >= 1.0 ? spdlog::level::info : spdlog::level::debug;
    if (rows_what.empty()) {
        spdlog::log(level, "done in {:.3f} s", seconds);
        return;
    }
    spdlog::log(level, "done in {:.3f} s: {} {} on this rank, {:.0f} a second", seconds, rows, rows_what,
                double(rows) / std::max(seconds, 1e-9));
}

}  // namespace ledger
