// Progress of a long stage on stderr: how much is done, how fast, and when it will end, e.g.
//   read  120.0 MiB / 400.0 MiB  30.0%  85.3 MiB/s  ETA 0:04
// On a terminal one line is redrawn in place a few times a second and erased when the stage ends; when
// asked for on a pipe or a batch log (--progress on), whole lines are written, far less often. Clock and
// stream are injected so that tests can drive it without sleeping.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

enum class ProgressMode { off, on, automatic };

// "auto", "on", "off"; nullopt for anything else.
std::optional<ProgressMode> parse_progress_mode(std::string_view text);

// `automatic` means: only when stderr is a terminal, so CI and batch logs stay clean.
bool progress_wanted(ProgressMode mode, bool stderr_is_terminal);
// Under mpirun a rank's stderr is a pipe to mpirun even at a terminal (and its stdout a pseudo-terminal
// even in a batch log, so that is no sign either): there `auto` stays quiet and `on` writes whole lines.
bool stderr_is_terminal();

enum class ProgressUnit { bytes, transfers };

// One status line. total 0 means unknown: no percentage and no ETA. No rate before any time has passed.
std::string format_progress_line(std::string_view label, ProgressUnit unit, uint64_t done, uint64_t total,
                                 double elapsed_seconds);

class ProgressReporter {
public:
    using Clock = std::function<double()>;  // monotonic seconds

    // A disabled reporter: every call does nothing, so callers need no "if (progress)" around them.
    ProgressReporter() = default;
    // terminal: redraw one line with '\r'; otherwise write whole lines. Redraws at most once per
    // min_interval_seconds, and not at all for a stage that ends within its first interval.
    ProgressReporter(std::ostream& out, bool terminal, Clock clock, double min_interval_seconds);
    ~ProgressReporter();
    // Pinned in place (it may own the stream's last line); make_stderr_progress returns it by elision.
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    void start(std::string_view label, ProgressUnit unit, uint64_t total);
    // `done` is cumulative. Cheap, but it reads the clock: call it per chunk or per few thousand items.
    void update(uint64_t done);
    // Ends the stage: a terminal line is erased, a log gets its last line. Safe to call twice.
    void finish();

private:
    void draw(double now);

    std::ostream* out_ = nullptr;
    bool terminal_ = false;
    Clock clock_;
    double min_interval_seconds_ = 0;

    bool active_ = false;
    bool drawn_ = false;
    std::string label_;
    ProgressUnit unit_ = ProgressUnit::bytes;
    uint64_t total_ = 0;
    uint64_t done_ = 0;
    double started_ = 0;
    double last_draw_ = 0;
    size_t last_width_ = 0;
};

// The reporter --progress asks for: std::cerr and the steady clock, or a disabled one.
ProgressReporter make_stderr_progress(ProgressMode mode);

}  // namespace ledger
