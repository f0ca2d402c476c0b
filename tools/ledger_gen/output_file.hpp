// A file written in large blocks. Rows are appended as text to an in-memory buffer and handed to the
// kernel a few megabytes at a time: at tens of millions of rows, per-field stream calls would cost more
// than generating the data. A full block is written by a background task while the next one fills, so
// the copy into the page cache (about as slow as the generating itself) runs on the second core.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <future>
#include <string>
#include <string_view>

namespace ledger_gen {

class OutputFile {
public:
    explicit OutputFile(const std::string& path);  // exits 4 with one line if it cannot be created
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::string& buffer() { return buffer_; }
    void append(std::string_view text) { buffer_.append(text); }

    // Call once per row (not for the header): counts it, and writes the buffer out when it has grown past
    // the block size.
    void maybe_flush() {
        ++rows_;
        if (buffer_.size() >= kBlockBytes) flush();
    }
    // Flushes and closes; exits 4 on any write error. Then says on stderr what it wrote (path, rows,
    // bytes), so that a user sees where the workload went.
    void close();

private:
    static constexpr size_t kBlockBytes = size_t{8} << 20;
    void flush();
    void wait_for_pending_write();
    std::string path_;
    std::FILE* file_ = nullptr;
    std::string buffer_;
    std::string in_flight_;        // the block the background task is writing
    std::future<int> pending_;     // errno of that write, 0 on success
    uint64_t rows_ = 0;            // data rows, the header not counted
    uint64_t bytes_ = 0;           // handed to the kernel so far
};

inline void append_uint(std::string& out, uint64_t value) {
    char digits[20];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

// `value` as exactly `width` digits with leading zeros (value < 10^width).
inline void append_padded(std::string& out, uint64_t value, int width) {
    size_t at = out.size();
    out.resize(at + size_t(width));
    for (int i = width - 1; i >= 0; --i) {
        out[at + size_t(i)] = char('0' + value % 10);
        value /= 10;
    }
}

}  // namespace ledger_gen
