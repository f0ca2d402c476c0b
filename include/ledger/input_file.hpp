// Read-only view of an input file. Opening is where missing, unreadable and directory inputs are found,
// and they become one LedgerError(io) line naming the path.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ledger {

class InputFile {
public:
    explicit InputFile(const std::string& path);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    InputFile(InputFile&& other) noexcept;

    std::string_view text() const { return {data_, size_}; }
    uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }

    // Drops the pages wholly inside [begin, end) from the resident set once they are parsed: a mapped
    // input counts in RSS, and without this a rank holds its whole share of text until the end of the
    // run. Reading them again stays correct (the mapping is private and never written, so the kernel
    // fetches the file's bytes again); it only costs the fetch. Returns where the released pages end
    // (at least `begin`), so that a caller releasing behind a parse can go on from there.
    uint64_t release(uint64_t begin, uint64_t end) const;

    // Line feeds in [begin, end), read with pread through a small buffer rather than through the
    // mapping: a count ahead of parsing then neither makes the range resident nor pays the mapping's
    // page faults twice (docs/design.md has the measurement).
    // on_read, when given, is handed every piece as it is read, in file order.
    uint64_t count_line_feeds_in(uint64_t begin, uint64_t end,
                                 const std::function<void(uint64_t offset, std::string_view bytes)>& on_read = {}) const;

private:
    std::string path_;
    const char* data_ = nullptr;
    uint64_t size_ = 0;
};

// An input file opened again for pread while one part of it is parsed (InputFile keeps no descriptor: a
// run may name more transactions files than a process may hold). Reading the bulk of a part this way
// into one reused buffer, rather than through the mapping, saves the mapping's page faults (the same
// measurement as count_line_feeds_in's).
class FileReader {
public:
    explicit FileReader(const std::string& path);
    ~FileReader();
    FileReader(const FileReader&) = delete;
    FileReader& operator=(const FileReader&) = delete;

    // Copies up to `bytes` from `offset` into `out` and returns how many it copied: fewer only at the end
    // of the file or where it cannot be read (0 if it could not be opened).
    size_t read(uint64_t offset, char* out, size_t bytes) const;

private:
    int fd_ = -1;
};

// Reads a mapped input again, forward, through a window copied with pread: for going back over a part
// whose pages the parse released (rejected rows, their lines), where touching the mapping again would
// fault every page back in, which costs several times the copy on a virtual machine. Offsets asked for
// should not decrease: going back reads the window again. Whatever pread cannot give (the file gone or
// shrunk since it was mapped) is read through the mapping, which is what the parse saw.
class ForwardReader {
public:
    explicit ForwardReader(const InputFile& file);

    // The text from `offset` on: at least one longest row (kMaxRowBytes) and a byte more, or all the rest
    // of the file. Valid until the next call.
    std::string_view from(uint64_t offset);
    // Line feeds in [begin, end).
    uint64_t count_line_feeds(uint64_t begin, uint64_t end);

private:
    const InputFile& file_;
    FileReader reader_;
    std::string buffer_;
    uint64_t begin_ = 0, end_ = 0;  // the file's bytes the buffer holds
};

// Size of a file, or throws LedgerError(io) as InputFile would.
uint64_t input_file_size(const std::string& path);

// Line number (1-based) of byte `offset`: one plus the line feeds before it.
uint64_t line_of_offset(std::string_view text, uint64_t offset);

}  // namespace ledger
