#include "ledger/input_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "ledger/csv.hpp"
#include "ledger/errors.hpp"

namespace ledger {
namespace {

[[noreturn]] void fail_io(const std::string& path, const std::string& why) {
    fail(ExitCode::io, "cannot read input '" + path + "': " + why);
}

// Inputs are mapped, and under the parallel ingest every rank opens each file and reads its own byte
// range, so only a regular file will do: a pipe (`<(zcat ...)`, a FIFO) has no size to split and can be
// read once, by one process. O_NONBLOCK lets a FIFO with no writer be opened, and refused, at once
// instead of hanging the run; it changes nothing for a regular file.
int open_regular_file(const std::string& path, struct stat* st) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail_io(path, std::strerror(errno));
    if (::fstat(fd, st) != 0) {
        const int err = errno;
        ::close(fd);
        fail_io(path, std::strerror(err));
    }
    if (S_ISDIR(st->st_mode)) {
        ::close(fd);
        fail_io(path, "it is a directory");
    }
    if (!S_ISREG(st->st_mode)) {
        ::close(fd);
        fail_io(path, "not a regular file (a pipe or a device); write its contents to a file first");
    }
    return fd;
}

}  // namespace

uint64_t input_file_size(const std::string& path) {
    struct stat st;
    const int fd = open_regular_file(path, &st);
    ::close(fd);
    return uint64_t(st.st_size);
}

InputFile::InputFile(const std::string& path) : path_(path) {
    struct stat st;
    const int fd = open_regular_file(path, &st);
    size_ = uint64_t(st.st_size);
    if (size_ > 0) {
        void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (mapped == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            // Out of address space (ulimit -v): the input does not fit, said the way the memory check says it.
            if (err == ENOMEM)
                fail(ExitCode::io, not_enough_memory("cannot map input '" + path + "' (" +
                                                     std::to_string(size_ >> 20) + " MiB)"));
            fail_io(path, std::strerror(err));
        }
        ::madvise(mapped, size_, MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(mapped);
    }
    ::close(fd);  // the mapping keeps the file open
}

InputFile::InputFile(InputFile&& other) noexcept
    : path_(std::move(other.path_)), data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
}

InputFile::~InputFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
}

uint64_t InputFile::release(uint64_t begin, uint64_t end) const {
    static const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
    const uint64_t first = (begin + page - 1) / page * page;  // a page shared with the previous part stays
    const uint64_t last = std::min(end, size_) / page * page;
    if (!data_ || first >= last) return begin;
    ::madvise(const_cast<char*>(data_ + first), last - first, MADV_DONTNEED);
    return last;
}

uint64_t InputFile::count_line_feeds_in(uint64_t begin, uint64_t end,
                                       const std::function<void(uint64_t, std::string_view)>& on_read) const {
    end = std::min(end, size_);
    // Opened again here rather than kept open: a run may name more transactions files than a process
    // may hold descriptors.
    uint64_t count = 0, at = begin;
    const FileReader file(path_);
    std::vector<char> buffer(size_t{1} << 20);
    while (at < end) {
        const size_t want = size_t(std::min<uint64_t>(buffer.size(), end - at));
        const size_t got = file.read(at, buffer.data(), want);
        count += count_line_feeds(std::string_view(buffer.data(), got));
        if (on_read) on_read(at, std::string_view(buffer.data(), got));
        at += got;
        if (got < want) break;
    }
    // Whatever could not be read that way (the file gone or shrunk since it was mapped) is counted
    // through the mapping, which is what the parse will see.
    if (at < end) {
        count += count_line_feeds(text().substr(at, end - at));
        if (on_read) on_read(at, text().substr(at, end - at));
    }
    return count;
}

FileReader::FileReader(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

FileReader::~FileReader() {
    if (fd_ >= 0) ::close(fd_);
}

size_t FileReader::read(uint64_t offset, char* out, size_t bytes) const {
    size_t done = 0;
    while (fd_ >= 0 && done < bytes) {
        const ssize_t got = ::pread(fd_, out + done, bytes - done, off_t(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += size_t(got);
    }
    return done;
}

ForwardReader::ForwardReader(const InputFile& file) : file_(file), reader_(file.path()) {}

std::string_view ForwardReader::from(uint64_t offset) {
    offset = std::min(offset, file_.size());
    const uint64_t wanted_end = std::min(file_.size(), offset + kMaxRowBytes + 1);
    if (offset < begin_ || wanted_end > end_) {
        // A few MiB beyond the row: one pread serves the many rows that follow it.
        const uint64_t load_end = std::min(file_.size(), offset + kMaxRowBytes + 1 + (uint64_t{4} << 20));
        buffer_.resize(size_t(load_end - offset));
        const size_t got = reader_.read(offset, buffer_.data(), buffer_.size());
        if (got < buffer_.size()) {
            begin_ = end_ = 0;
            return file_.text().substr(offset);
        }
        begin_ = offset;
        end_ = load_end;
    }
    return std::string_view(buffer_).substr(size_t(offset - begin_));
}

uint64_t ForwardReader::count_line_feeds(uint64_t begin, uint64_t end) {
    uint64_t count = 0;
    while (begin < end) {
        const std::string_view text = from(begin);
        if (text.empty()) break;
        const size_t n = size_t(std::min<uint64_t>(text.size(), end - begin));
        count += ledger::count_line_feeds(text.substr(0, n));
        begin += n;
    }
    return count;
}

uint64_t line_of_offset(std::string_view text, uint64_t offset) {
    offset = std::min<uint64_t>(offset, text.size());
    return 1 + count_line_feeds(text.substr(0, offset));
}

}  // namespace ledger
