// The progress reporter (--progress). It must stay out of CI and batch logs unless asked (auto = only on
// a terminal), never flood (a few redraws a second on a terminal, none for a stage shorter than one
// interval), redraw one line in place and erase it at the end, and show a rate and ETA that are right.
// A fake clock and a string stream stand in for time and stderr, so nothing here sleeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "ops/progress.hpp"

namespace ledger {
namespace {

struct FakeClock {
    double now = 100.0;
    ProgressReporter::Clock clock() {
        return [this] { return now; };
    }
};

size_t count_of(const std::string& text, char c) { return size_t(std::count(text.begin(), text.end(), c)); }

TEST(ProgressMode, ParsesTheThreeSpellings) {
    EXPECT_EQ(parse_progress_mode("auto"), ProgressMode::automatic);
    EXPECT_EQ(parse_progress_mode("on"), ProgressMode::on);
    EXPECT_EQ(parse_progress_mode("off"), ProgressMode::off);
    EXPECT_FALSE(parse_progress_mode("yes").has_value());
    EXPECT_FALSE(parse_progress_mode("").has_value());
}

TEST(ProgressMode, AutoFollowsTheTerminalOnAndOffDoNot) {
    EXPECT_TRUE(progress_wanted(ProgressMode::automatic, true));
    EXPECT_FALSE(progress_wanted(ProgressMode::automatic, false));
    EXPECT_TRUE(progress_wanted(ProgressMode::on, false));
    EXPECT_FALSE(progress_wanted(ProgressMode::off, true));
}

TEST(ProgressLine, BytesWithTotalShowPercentRateAndEta) {
    // 100 MiB of 400 MiB in 4 s: 25 MiB/s, 300 MiB left, 12 s to go.
    const std::string line =
        format_progress_line("read", ProgressUnit::bytes, 100ull << 20, 400ull << 20, 4.0);
    EXPECT_EQ(line, "read  100.0 MiB / 400.0 MiB  25.0%  25.0 MiB/s  ETA 0:12");
}

TEST(ProgressLine, TransfersUseDecimalPrefixesAndHoursInTheEta) {
    // 1.5M of 10M in 1000 s: 1.5k/s, 8.5M left, 5667 s = 1:34:27.
    const std::string line =
        format_progress_line("replay", ProgressUnit::transfers, 1'500'000, 10'000'000, 1000.0);
    EXPECT_EQ(line, "replay  1.50M / 10.00M transfers  15.0%  1.50k/s  ETA 1:34:27");
}

TEST(ProgressLine, UnknownTotalHasNoPercentOrEta) {
    const std::string line = format_progress_line("read", ProgressUnit::bytes, 2048, 0, 2.0);
    EXPECT_EQ(line, "read  2.0 KiB  1.0 KiB/s");
}

TEST(ProgressLine, NoRateBeforeAnyTimeHasPassed) {
    EXPECT_EQ(format_progress_line("read", ProgressUnit::bytes, 10, 100, 0.0), "read  10 B / 100 B  10.0%");
}

TEST(ProgressReporter, AShortStageLeavesNoTrace) {
    FakeClock time;
    std::ostringstream out;
    {
        ProgressReporter progress(out, true, time.clock(), 0.2);
        progress.start("read", ProgressUnit::bytes, 100);
        time.now += 0.1;
        progress.update(100);
        progress.finish();
    }
    EXPECT_EQ(out.str(), "");
}

TEST(ProgressReporter, RedrawsAtMostOncePerInterval) {
    FakeClock time;
    std::ostringstream out;
    ProgressReporter progress(out, true, time.clock(), 0.2);
    progress.start("read", ProgressUnit::bytes, 1000);
    for (int i = 1; i <= 100; ++i) {  // 1 s of updates every 10 ms
        time.now += 0.01;
        progress.update(uint64_t(i) * 10);
    }
    // One draw per 0.2 s of the 1 s; floating point may land the last one either side of the edge.
    const size_t draws = count_of(out.str(), '\r');
    EXPECT_GE(draws, 4u);
    EXPECT_LE(draws, 5u);
}

TEST(ProgressReporter, OnATerminalRedrawsInPlaceAndErasesAtTheEnd) {
    FakeClock time;
    std::ostringstream out;
    ProgressReporter progress(out, true, time.clock(), 0.2);
    progress.start("read", ProgressUnit::bytes, 1000);
    time.now += 1.0;
    progress.update(500);
    const std::string drawn = out.str();
    EXPECT_EQ(drawn, "\r" + format_progress_line("read", ProgressUnit::bytes, 500, 1000, 1.0));
    time.now += 1.0;
    progress.finish();
    const std::string erased = out.str().substr(drawn.size());
    EXPECT_EQ(erased, "\r" + std::string(drawn.size() - 1, ' ') + "\r");
    EXPECT_EQ(count_of(out.str(), '\n'), 0u);
}

TEST(ProgressReporter, AShorterLineIsPaddedOverTheLongerOne) {
    FakeClock time;
    std::ostringstream out;
    ProgressReporter progress(out, true, time.clock(), 0.2);
    progress.start("read", ProgressUnit::bytes, 0);
    time.now += 10.0;
    progress.update(1000);  // "read  1000 B  100 B/s"
    time.now += 90.0;
    progress.update(1000);  // "read  1000 B  10 B/s", one character shorter
    const std::string text = out.str();
    EXPECT_EQ(text.substr(text.rfind('\r')), "\rread  1000 B  10 B/s ");
}

TEST(ProgressReporter, OffATerminalWritesWholeLinesAndALastOne) {
    FakeClock time;
    std::ostringstream out;
    ProgressReporter progress(out, false, time.clock(), 5.0);
    progress.start("replay", ProgressUnit::transfers, 100);
    time.now += 6.0;
    progress.update(60);
    time.now += 1.0;
    progress.update(70);  // within the interval: not written
    time.now += 1.0;
    progress.update(100);
    progress.finish();
    EXPECT_EQ(out.str(), format_progress_line("replay", ProgressUnit::transfers, 60, 100, 6.0) + "\n" +
                             format_progress_line("replay", ProgressUnit::transfers, 100, 100, 8.0) + "\n");
    EXPECT_EQ(count_of(out.str(), '\r'), 0u);
}

TEST(ProgressReporter, StartingANewStageFinishesTheOldOne) {
    FakeClock time;
    std::ostringstream out;
    ProgressReporter progress(out, true, time.clock(), 0.2);
    progress.start("read", ProgressUnit::bytes, 100);
    time.now += 1.0;
    progress.update(50);
    const size_t drawn = out.str().size();
    progress.start("replay", ProgressUnit::transfers, 10);
    EXPECT_EQ(out.str().substr(drawn), "\r" + std::string(drawn - 1, ' ') + "\r");
}

}  // namespace
}  // namespace ledger
