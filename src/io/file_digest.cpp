#include "ledger/file_digest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "ledger/errors.hpp"
#include "ledger/input_file.hpp"

namespace ledger {

std::vector<Digest128> digest_file_blocks(const std::string& path, BlockRange range) {
    if (range.first >= range.end) return {};
    // Opened here to say why it cannot be; FileReader reports a failed open as a short read only.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(ExitCode::io, "cannot read input '" + path + "': " + std::strerror(errno));
    ::close(fd);
    // Fed nothing, the digester reads every block itself; with no size given, as far as the file goes.
    return BlockRangeDigester(path, UINT64_MAX, range).finish();
}

BlockRangeDigester::BlockRangeDigester(std::string path, uint64_t file_size, BlockRange range)
    : path_(std::move(path)) {
    if (range.first >= range.end) return;
    blocks_ = size_t(range.end - range.first);
    next_ = range.first * kDigestBlockBytes;
    end_ = std::min(range.end * kDigestBlockBytes, file_size);
    block_end_ = std::min(next_ + kDigestBlockBytes, end_);
    digests_.reserve(blocks_);
}

void BlockRangeDigester::hash(std::string_view bytes) {
    while (!bytes.empty() && next_ < end_) {
        const size_t take = size_t(std::min<uint64_t>(bytes.size(), block_end_ - next_));
        digester_.add(bytes.substr(0, take));
        bytes.remove_prefix(take);
        next_ += take;
        if (next_ == block_end_) {
            digests_.push_back(digester_.finish());
            block_end_ = std::min(next_ + kDigestBlockBytes, end_);
        }
    }
}

void BlockRangeDigester::read_up_to(uint64_t offset) {
    if (short_read_ || next_ >= offset) return;
    const FileReader reader(path_);
    std::vector<char> buffer(size_t(std::min<uint64_t>(offset - next_, uint64_t{1} << 20)));
    while (next_ < offset) {
        const size_t want = size_t(std::min<uint64_t>(buffer.size(), offset - next_));
        const size_t got = reader.read(next_, buffer.data(), want);
        hash(std::string_view(buffer.data(), got));
        if (got < want) {
            short_read_ = true;
            return;
        }
    }
}

void BlockRangeDigester::feed(uint64_t offset, std::string_view bytes) {
    if (offset + bytes.size() <= next_ || next_ >= end_) return;
    if (offset > next_) read_up_to(std::min(offset, end_));
    if (short_read_ || offset > next_) return;
    hash(bytes.substr(size_t(next_ - offset)));
}

std::vector<Digest128> BlockRangeDigester::finish() {
    read_up_to(end_);
    // After a short read, as digest_file_blocks: the block it ended in as far as it went, then empty ones.
    while (digests_.size() < blocks_) digests_.push_back(digester_.finish());
    return std::move(digests_);
}

Digest128 digest_stream(int fd, const std::string& name) {
    std::vector<Digest128> blocks;
    std::vector<char> buffer(static_cast<size_t>(kDigestBlockBytes));
    for (;;) {
        size_t filled = 0;
        while (filled < buffer.size()) {
            const ssize_t got = ::read(fd, buffer.data() + filled, buffer.size() - filled);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) fail(ExitCode::io, "cannot read '" + name + "': " + std::strerror(errno));
            if (got == 0) break;
            filled += size_t(got);
        }
        if (filled > 0) blocks.push_back(digest_block(std::string_view(buffer.data(), filled)));
        if (filled < buffer.size()) break;
    }
    return combine_block_digests(blocks);
}

}  // namespace ledger
