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

// A whole file read from a descriptor until its end, as one process reads a pipe or stdin: the same
// digest as the blocks of a regular file with those bytes. Throws LedgerError(io) naming `name`.
Digest128 digest_stream(int fd, const std::string& name);

}  // namespace ledger
