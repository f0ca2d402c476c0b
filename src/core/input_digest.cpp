#include "ledger/input_digest.hpp"

#include <xxhash.h>

#include <new>
#include <vector>

namespace ledger {
namespace {

Digest128 canonical(XXH128_hash_t hash) {
    XXH128_canonical_t out;
    XXH128_canonicalFromHash(&out, hash);
    Digest128 digest;
    static_assert(sizeof(out.digest) == digest.size());
    for (size_t i = 0; i < digest.size(); ++i) digest[i] = out.digest[i];
    return digest;
}

}  // namespace

BlockRange digest_blocks_of_rank(uint64_t bytes, int rank, int ranks) {
    // The first block starting at or after byte `at`.
    auto first_block_from = [](uint64_t at) { return (at + kDigestBlockBytes - 1) / kDigestBlockBytes; };
    // bytes * rank / ranks without overflow: a file is below 2^40 bytes and ranks far below 2^23, but the
    // quotient and remainder make it exact for any size.
    auto share_start = [&](int r) {
        const uint64_t n = uint64_t(ranks), k = uint64_t(r);
        return bytes / n * k + bytes % n * k / n;
    };
    const uint64_t count = digest_block_count(bytes);
    BlockRange range{first_block_from(share_start(rank)), rank + 1 == ranks ? count : first_block_from(share_start(rank + 1))};
    if (range.first > count) range.first = count;
    if (range.end > count) range.end = count;
    if (range.end < range.first) range.end = range.first;
    return range;
}

Digest128 digest_block(std::string_view block) { return canonical(XXH3_128bits(block.data(), block.size())); }

BlockDigester::BlockDigester() : state_(XXH3_createState()) {
    if (state_ == nullptr) throw std::bad_alloc();
    XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

BlockDigester::~BlockDigester() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void BlockDigester::add(std::string_view piece) {
    XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), piece.data(), piece.size());
}

Digest128 BlockDigester::finish() {
    auto* state = static_cast<XXH3_state_t*>(state_);
    const Digest128 digest = canonical(XXH3_128bits_digest(state));
    XXH3_128bits_reset(state);
    return digest;
}

Digest128 combine_block_digests(std::span<const Digest128> blocks) {
    return canonical(XXH3_128bits(blocks.data(), blocks.size_bytes()));
}

Digest128 digest_of_text(std::string_view text) {
    std::vector<Digest128> blocks;
    for (uint64_t at = 0; at < text.size(); at += kDigestBlockBytes)
        blocks.push_back(digest_block(text.substr(size_t(at), size_t(kDigestBlockBytes))));
    return combine_block_digests(blocks);
}

std::string to_hex(std::span<const unsigned char> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes.size());
    for (const unsigned char byte : bytes) {
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
    }
    return out;
}

}  // namespace ledger
