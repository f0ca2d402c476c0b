// The mapped input file: releasing parsed stretches must never change what the text reads as, and the
// releasing line-feed count must agree with a plain count on any range, across its stretch boundaries;
// ForwardReader must give the file's own bytes (at least a longest row's worth past the offset, or to the
// end) and the same counts, across its window's reloads, going forward or back.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "ledger/csv.hpp"
#include "ledger/input_file.hpp"

namespace {

// A temporary file with `content`, removed at the end of the test.
class TempFile {
public:
    explicit TempFile(const std::string& content) {
        char name[] = "/tmp/ledger-input-file.XXXXXX";
        const int fd = ::mkstemp(name);
        EXPECT_GE(fd, 0);
        ::close(fd);
        path_ = name;
        std::ofstream(path_, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// About 20 MiB of rows of varying length, so that counts cross the 8 MiB stretches at odd places.
std::string rows_of_varying_length() {
    std::mt19937_64 random(3);
    std::string text;
    while (text.size() < (size_t{20} << 20)) {
        text.append(size_t(random() % 90), 'x');
        text.push_back('\n');
    }
    return text;
}

TEST(InputFile, ReleasingCountAgreesWithAPlainCount) {
    const std::string content = rows_of_varying_length();
    const TempFile file(content);
    const ledger::InputFile input(file.path());
    const uint64_t size = input.size();
    const uint64_t ranges[][2] = {{0, size}, {1, size - 1}, {4095, 4097}, {(8u << 20) - 3, (8u << 20) + 3},
                                  {12345, (17u << 20) + 7}, {size, size}, {size - 10, size + 100}};
    for (const auto& [begin, end] : ranges) {
        const uint64_t stop = std::min(end, size);
        const uint64_t expected = ledger::count_line_feeds(std::string_view(content).substr(begin, stop - begin));
        EXPECT_EQ(input.count_line_feeds_in(begin, end), expected) << begin << ".." << end;
    }
}

TEST(InputFile, ReleasedTextReadsTheSame) {
    const std::string content = rows_of_varying_length();
    const TempFile file(content);
    const ledger::InputFile input(file.path());
    ASSERT_EQ(input.text(), content);
    const long page = ::sysconf(_SC_PAGESIZE);
    EXPECT_EQ(input.release(0, input.size()), input.size() / uint64_t(page) * uint64_t(page));
    EXPECT_EQ(input.text(), content);
    // Partial pages at both ends stay, whole ones go; the answer says where a next call may begin.
    EXPECT_EQ(input.release(100, uint64_t(3 * page + 5)), uint64_t(3 * page));
    EXPECT_EQ(input.release(uint64_t(3 * page), uint64_t(3 * page + 5)), uint64_t(3 * page));  // nothing whole
    EXPECT_EQ(input.release(input.size() - 1, input.size() + 10), input.size() - 1);
    EXPECT_EQ(input.text(), content);
}

TEST(ForwardReader, GivesTheFilesBytesAndCountsAcrossItsWindow) {
    const std::string content = rows_of_varying_length();
    const TempFile file(content);
    const ledger::InputFile input(file.path());
    input.release(0, input.size());  // as after a parse: the reader must not depend on the mapping
    ledger::ForwardReader reader(input);
    const std::string_view all(content);
    const auto check_from = [&](uint64_t offset) {
        const std::string_view text = reader.from(offset);
        const size_t wanted = size_t(std::min<uint64_t>(all.size() - std::min<uint64_t>(offset, all.size()),
                                                        ledger::kMaxRowBytes + 1));
        ASSERT_GE(text.size(), wanted) << offset;
        EXPECT_EQ(text, all.substr(size_t(std::min<uint64_t>(offset, all.size())), text.size())) << offset;
    };
    std::mt19937_64 random(5);
    uint64_t offset = 0;
    while (offset < all.size()) {  // forward, in steps small and large, across several reloads
        check_from(offset);
        offset += random() % (random() % 4 == 0 ? (uint64_t{3} << 20) : 5000);
    }
    check_from(all.size() - 1);
    check_from(all.size());
    check_from(12345);  // back
    uint64_t begin = 0;
    for (const uint64_t end : {uint64_t{0}, uint64_t{100}, uint64_t{7} << 20, uint64_t(all.size())}) {
        EXPECT_EQ(reader.count_line_feeds(begin, end), ledger::count_line_feeds(all.substr(size_t(begin), size_t(end - begin))))
            << begin << ".." << end;
        begin = end;
    }
    EXPECT_EQ(reader.count_line_feeds(10, all.size()), ledger::count_line_feeds(all.substr(10)));
}

}  // namespace
