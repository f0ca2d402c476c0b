// The mapped input file: releasing parsed stretches must never change what the text reads as, and the
// releasing line-feed count must agree with a plain count on any range, across its stretch boundaries.
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

}  // namespace
