// The digest of an input file recorded in the run report: XXH3-128 (Debian's libxxhash) of each 4 MiB
// block, then XXH3-128 of the block digests one after another in canonical (big-endian) form. Blocks
// rather than one pass over the file so that ranks can hash their own parts of a file at once and the
// result still does not depend on how many ranks there are. Not cryptographic: it tells one file from
// another that differs by accident (the same day applied twice), not from a forgery. Pure: no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ledger {

inline constexpr uint64_t kDigestBlockBytes = uint64_t{4} << 20;

// 16 bytes, in XXH128's canonical order (the order `xxhsum -H2` prints in hex).
using Digest128 = std::array<unsigned char, 16>;
static_assert(sizeof(Digest128) == 16, "block digests are hashed as one array of bytes");

// Blocks of a file of `bytes`: the last may be shorter; an empty file has none.
inline uint64_t digest_block_count(uint64_t bytes) { return (bytes + kDigestBlockBytes - 1) / kDigestBlockBytes; }

// The blocks [first, end) that one of `ranks` hashes: those that start inside its equal byte share of the
// file, [bytes * rank / ranks, bytes * (rank + 1) / ranks). Every block goes to exactly one rank, in
// rank order, and each rank hashes the bytes it is about to parse or has just parsed, which are in its
// node's page cache.
struct BlockRange {
    uint64_t first = 0, end = 0;
};
BlockRange digest_blocks_of_rank(uint64_t bytes, int rank, int ranks);

Digest128 digest_block(std::string_view block);

// One block's digest from its bytes given in pieces, equal to digest_block of the pieces joined (XXH3's
// streaming form): for a block that another pass reads a piece at a time.
class BlockDigester {
public:
    BlockDigester();
    ~BlockDigester();
    BlockDigester(const BlockDigester&) = delete;
    BlockDigester& operator=(const BlockDigester&) = delete;

    void add(std::string_view piece);
    // The block's digest, and a fresh start for the next block.
    Digest128 finish();

private:
    void* state_;  // an XXH3_state_t; its definition stays in input_digest.cpp with xxhash.h
};

// The file's digest from its block digests in file order (none for an empty file: the XXH3-128 of no
// bytes, 99aa06d3014798d86001c324468d497f).
Digest128 combine_block_digests(std::span<const Digest128> blocks);

// A whole file held in memory, block by block.
Digest128 digest_of_text(std::string_view text);

// Lowercase hex, two digits a byte (32 for a Digest128).
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace ledger
