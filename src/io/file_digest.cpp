#include "ledger/file_digest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ledger/errors.hpp"
#include "ledger/input_file.hpp"

namespace ledger {

std::vector<Digest128> digest_file_blocks(const std::string& path, BlockRange range) {
    std::vector<Digest128> digests;
    if (range.first >= range.end) return digests;
    // Opened here to say why it cannot be; FileReader reports a failed open as a short read only.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(ExitCode::io, "cannot read input '" + path + "': " + std::strerror(errno));
    ::close(fd);
    const FileReader reader(path);
    std::vector<char> buffer(static_cast<size_t>(kDigestBlockBytes));
    digests.reserve(size_t(range.end - range.first));
    for (uint64_t block = range.first; block < range.end; ++block) {
        const size_t got = reader.read(block * kDigestBlockBytes, buffer.data(), buffer.size());
        digests.push_back(digest_block(std::string_view(buffer.data(), got)));
    }
    return digests;
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
