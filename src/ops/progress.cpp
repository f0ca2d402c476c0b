#include "ops/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace ledger {
namespace {

constexpr double kTerminalIntervalSeconds = 0.2;  // a few redraws a second reads as live, costs nothing
constexpr double kLogIntervalSeconds = 10.0;      // a batch log wants a heartbeat, not a flood

std::string format_quantity(double value, ProgressUnit unit) {
    char text[32];
    if (unit == ProgressUnit::bytes) {
        static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        while (value >= 1024 && i < 5) {
            value /= 1024;
            ++i;
        }
        if (i == 0) std::snprintf(text, sizeof text, "%.0f B", value);
        else std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[i]);
    } else {
        static constexpr const char* kUnits[] = {"", "k", "M", "G", "T"};
        int i = 0;
        while (value >= 1000 && i < 4) {
            value /= 1000;
            ++i;
        }
        if (i == 0) std::snprintf(text, sizeof text, "%.0f", value);
        else std::snprintf(text, sizeof text, "%.2f%s", value, kUnits[i]);
    }
    return text;
}

std::string format_eta(double seconds) {
    const auto whole = static_cast<long long>(std::ceil(seconds));
    char text[32];
    if (whole >= 3600) std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60);
    else std::snprintf(text, sizeof text, "%lld:%02lld", whole / 60, whole % 60);
    return text;
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::optional<ProgressMode> parse_progress_mode(std::string_view text) {
    if (text == "auto") return ProgressMode::automatic;
    if (text == "on") return ProgressMode::on;
    if (text == "off") return ProgressMode::off;
    return std::nullopt;
}

bool progress_wanted(ProgressMode mode, bool terminal) {
    return mode == ProgressMode::on || (mode == ProgressMode::automatic && terminal);
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

std::string format_progress_line(std::string_view label, ProgressUnit unit, uint64_t done, uint64_t total,
                                 double elapsed_seconds) {
    std::string line(label);
    line += "  " + format_quantity(double(done), unit);
    if (total > 0) line += " / " + format_quantity(double(total), unit);
    if (unit == ProgressUnit::transfers) line += " transfers";
    if (total > 0) {
        char percent[16];
        std::snprintf(percent, sizeof percent, "  %.1f%%", done >= total ? 100.0 : 100.0 * double(done) / double(total));
        line += percent;
    }
    if (elapsed_seconds <= 0 || done == 0) return line;  // no rate to speak of yet
    const double rate = double(done) / elapsed_seconds;
    line += "  " + format_quantity(rate, unit) + "/s";
    if (total > 0) line += "  ETA " + format_eta(done >= total ? 0.0 : double(total - done) / rate);
    return line;
}

ProgressReporter::ProgressReporter(std::ostream& out, bool terminal, Clock clock, double min_interval_seconds)
    : out_(&out), terminal_(terminal), clock_(std::move(clock)), min_interval_seconds_(min_interval_seconds) {}

ProgressReporter::~ProgressReporter() { finish(); }

void ProgressReporter::start(std::string_view label, ProgressUnit unit, uint64_t total) {
    if (!out_) return;
    finish();
    active_ = true;
    drawn_ = false;
    label_ = label;
    unit_ = unit;
    total_ = total;
    done_ = 0;
    started_ = clock_();
    last_draw_ = started_;  // the first line waits one interval, so short stages print nothing at all
}

void ProgressReporter::update(uint64_t done) {
    if (!out_ || !active_) return;
    done_ = done;
    const double now = clock_();
    if (now - last_draw_ >= min_interval_seconds_) draw(now);
}

void ProgressReporter::finish() {
    if (!out_ || !active_) return;
    active_ = false;
    if (!drawn_) return;
    if (terminal_) {
        // Spaces, not an ANSI erase code: every terminal understands them.
        *out_ << '\r' << std::string(last_width_, ' ') << '\r' << std::flush;
    } else {
        *out_ << format_progress_line(label_, unit_, done_, total_, clock_() - started_) << '\n' << std::flush;
    }
}

void ProgressReporter::draw(double now) {
    const std::string line = format_progress_line(label_, unit_, done_, total_, now - started_);
    if (terminal_) {
        // Pad over whatever is left of a longer previous line.
        const size_t pad = last_width_ > line.size() ? last_width_ - line.size() : 0;
        *out_ << '\r' << line << std::string(pad, ' ') << std::flush;
    } else {
        *out_ << line << '\n' << std::flush;
    }
    last_width_ = line.size();
    last_draw_ = now;
    drawn_ = true;
}

ProgressReporter make_stderr_progress(ProgressMode mode) {
    const bool terminal = stderr_is_terminal();
    if (!progress_wanted(mode, terminal)) return ProgressReporter();
    return ProgressReporter(std::cerr, terminal, steady_seconds,
                            terminal ? kTerminalIntervalSeconds : kLogIntervalSeconds);
}

}  // namespace ledger
