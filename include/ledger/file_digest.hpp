// Input digests (input_digest.hpp) read from files: with pread through one block-sized buffer, not
// through the mapping, which would pay a page fault per page (see FileReader).
#pragma once

#include <string>
#include <vector>

#include "ledger/input_digest.hpp"

namespace ledger {

// The digests of blocks [range.first, range.end) of the file at `path`. A block past the end of the file
// as it is now (the file shrank) is hashed as far as it can be read. Throws LedgerError(io) when the file
// cannot be opened.
std::vector<Digest128> digest_file_blocks(const std::string& path, BlockRange range);

// The digests of a file's blocks [range.first, range.end), as digest_file_blocks gives them, from the
// bytes another pass reads anyway (a rank's count of its share's line feeds): what that pass hands over,
// in file order, is hashed while it is in the cache, and what it does not cover (before the share, after
// it, or a gap) is read here.
class BlockRangeDigester {
public:
    // file_size: where the last block ends at most (UINT64_MAX: wherever reading the file stops).
    BlockRangeDigester(std::string path, uint64_t file_size, BlockRange range);
    // Bytes of the file from `offset`; offsets should not decrease. Bytes outside the blocks, or already
    // hashed, are skipped.
    void feed(uint64_t offset, std::string_view bytes);
    // Reads what is still missing and returns the blocks' digests.
    std::vector<Digest128> finish();

private:
    void hash(std::string_view bytes);  // the next bytes of the blocks, in order
    void read_up_to(uint64_t offset);   // with pread: [next_, offset)

    std::string path_;
    uint64_t next_ = 0, end_ = 0;  // the next byte to hash; the end of the last block within the file
    uint64_t block_end_ = 0;       // the end of the block being hashed
    size_t blocks_ = 0;            // how many blocks there are
    bool short_read_ = false;      // the file ended early: the blocks are hashed as far as it went
    BlockDigester digester_;
    std::vector<Digest128> digests_;
};

// A whole file read from a descriptor until its end, as one process reads a pipe or stdin: the same
// digest as the blocks of a regular file with those bytes. Throws LedgerError(io) naming `name`.
Digest128 digest_stream(int fd, const std::string& name);

}  // namespace ledger
