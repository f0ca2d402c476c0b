// The input digest recorded in the run report (input_digest.hpp): its value on known inputs, computed
// independently with xxhsum 0.8.1 (`xxhsum -H2` of each 4 MiB block from `split -b 4194304`, then of
// the block digests' bytes), and the property that makes it the same at every rank count: the blocks
// that the ranks' shares pick are every block exactly once, in order, whatever the rank count.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "ledger/decimal.hpp"
#include "ledger/errors.hpp"
#include "ledger/file_digest.hpp"
#include "ledger/input_digest.hpp"

namespace {

using ledger::Digest128;
using ledger::kDigestBlockBytes;

// 4 MiB + 5 bytes, byte i = (7i + 3) mod 251: two blocks, the second of 5 bytes.
std::string pattern_text() {
    std::string text(size_t(kDigestBlockBytes) + 5, '\0');
    for (size_t i = 0; i < text.size(); ++i) text[i] = char((i * 7 + 3) % 251);
    return text;
}

TEST(InputDigest, KnownValues) {
    // No blocks: the XXH3-128 of no bytes.
    EXPECT_EQ(ledger::to_hex(ledger::digest_of_text("")), "99aa06d3014798d86001c324468d497f");
    // One block: its digest is XXH3-128("abc") (xxhsum -H2 prints 06b05ab6...), hashed once more.
    EXPECT_EQ(ledger::to_hex(ledger::digest_block("abc")), "06b05ab6733a618578af5f94892f3950");
    EXPECT_EQ(ledger::to_hex(ledger::digest_of_text("abc")), "f758394eebabb2bb51ee911f78f31836");
    EXPECT_EQ(ledger::to_hex(ledger::digest_of_text(pattern_text())), "7b17823e4f9f9ae4621c34487c041333");
}

TEST(InputDigest, BlockOrderMatters) {
    const std::string text = pattern_text();
    std::vector<Digest128> blocks{ledger::digest_block(std::string_view(text).substr(0, size_t(kDigestBlockBytes))),
                                  ledger::digest_block(std::string_view(text).substr(size_t(kDigestBlockBytes)))};
    EXPECT_EQ(ledger::combine_block_digests(blocks), ledger::digest_of_text(text));
    std::swap(blocks[0], blocks[1]);
    EXPECT_NE(ledger::combine_block_digests(blocks), ledger::digest_of_text(text));
    // One byte changed anywhere changes the digest.
    std::string changed = text;
    changed[size_t(kDigestBlockBytes) + 2] ^= 1;
    EXPECT_NE(ledger::digest_of_text(changed), ledger::digest_of_text(text));
}

// Each rank's blocks follow the previous rank's, and together they are all the blocks, for sizes around
// block edges and rank counts with more ranks than blocks.
TEST(InputDigest, RankSharesCoverEveryBlockOnceInOrder) {
    const uint64_t b = kDigestBlockBytes;
    for (const uint64_t bytes : {uint64_t{0}, uint64_t{1}, b - 1, b, b + 1, 3 * b, 7 * b + 12345, uint64_t{1} << 40}) {
        for (int ranks = 1; ranks <= 9; ++ranks) {
            uint64_t next = 0;
            for (int rank = 0; rank < ranks; ++rank) {
                const ledger::BlockRange range = ledger::digest_blocks_of_rank(bytes, rank, ranks);
                EXPECT_EQ(range.first, next) << bytes << " bytes, rank " << rank << " of " << ranks;
                EXPECT_LE(range.first, range.end);
                // A block belongs to the rank whose equal share of the bytes its first byte is in.
                auto share_start = [&](int r) { return uint64_t((unsigned __int128)bytes * unsigned(r) / unsigned(ranks)); };
                for (const uint64_t block : {range.first, range.end - 1}) {
                    if (range.first == range.end) break;
                    EXPECT_GE(block * b, share_start(rank)) << bytes << " bytes, rank " << rank << " of " << ranks;
                    EXPECT_LT(block * b, share_start(rank + 1)) << bytes << " bytes, rank " << rank << " of " << ranks;
                }
                next = range.end;
            }
            EXPECT_EQ(next, ledger::digest_block_count(bytes)) << bytes << " bytes, " << ranks << " ranks";
        }
    }
}

// Ranks hashing their own blocks and one process hashing them all give the same digest.
TEST(InputDigest, SameDigestAtEveryRankCount) {
    std::string text;
    for (int i = 0; text.size() < 3 * kDigestBlockBytes + 777; ++i) text += "2026-01-02T09:00:00Z,1," + std::to_string(i) + ",2\n";
    const Digest128 whole = ledger::digest_of_text(text);
    for (int ranks = 1; ranks <= 6; ++ranks) {
        std::vector<Digest128> blocks;
        for (int rank = 0; rank < ranks; ++rank) {
            const ledger::BlockRange range = ledger::digest_blocks_of_rank(text.size(), rank, ranks);
            for (uint64_t block = range.first; block < range.end; ++block)
                blocks.push_back(ledger::digest_block(std::string_view(text).substr(size_t(block * kDigestBlockBytes),
                                                                                    size_t(kDigestBlockBytes))));
        }
        EXPECT_EQ(ledger::combine_block_digests(blocks), whole) << ranks << " ranks";
    }
}

// The file readers give the digest of the bytes in memory: the job's, block ranges read with pread by
// rank share, and ledger-digest's, a descriptor read to its end (here a pipe, as for stdin).
TEST(InputDigest, FilesAndPipesGiveTheDigestOfTheirBytes) {
    const std::string text = pattern_text();
    char name[] = "/tmp/ledger-input-digest.XXXXXX";
    const int fd = ::mkstemp(name);
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::ofstream(name, std::ios::binary) << text;
    for (int ranks = 1; ranks <= 3; ++ranks) {
        std::vector<Digest128> blocks;
        for (int rank = 0; rank < ranks; ++rank) {
            const std::vector<Digest128> mine = ledger::digest_file_blocks(name, ledger::digest_blocks_of_rank(text.size(), rank, ranks));
            blocks.insert(blocks.end(), mine.begin(), mine.end());
        }
        EXPECT_EQ(ledger::to_hex(ledger::combine_block_digests(blocks)), "7b17823e4f9f9ae4621c34487c041333") << ranks;
    }
    std::remove(name);
    EXPECT_THROW(ledger::digest_file_blocks(name, {0, 1}), ledger::LedgerError);

    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    // Written in odd-sized pieces from another thread: the reader must fill whole blocks across short reads.
    std::thread writer([&] {
        for (size_t at = 0; at < text.size(); at += 65521) {
            const size_t n = std::min<size_t>(65521, text.size() - at);
            EXPECT_EQ(::write(pipe_fds[1], text.data() + at, n), ssize_t(n));
        }
        ::close(pipe_fds[1]);
    });
    const Digest128 piped = ledger::digest_stream(pipe_fds[0], "pipe");
    writer.join();
    ::close(pipe_fds[0]);
    EXPECT_EQ(ledger::to_hex(piped), "7b17823e4f9f9ae4621c34487c041333");
}

TEST(InputDigest, ABlockGivenInPiecesHasTheBlocksDigest) {
    const std::string text = pattern_text();
    const std::string_view block = std::string_view(text).substr(0, size_t(kDigestBlockBytes));
    ledger::BlockDigester digester;
    for (const size_t piece : {size_t{1}, size_t{1000}, size_t{1} << 20, block.size()}) {
        for (size_t at = 0; at < block.size(); at += piece) digester.add(block.substr(at, piece));
        EXPECT_EQ(digester.finish(), ledger::digest_block(block)) << "pieces of " << piece;
    }
    digester.add("ab");
    digester.add("c");
    EXPECT_EQ(ledger::to_hex(digester.finish()), "06b05ab6733a618578af5f94892f3950");  // XXH3-128("abc"), as above
}

// A rank's blocks hashed from another pass's reads (a part of the file, cut anywhere, read in pieces)
// and pread for the rest are the blocks digest_file_blocks gives, whatever the part covers.
TEST(InputDigest, BlocksFedByAnotherPassAreTheBlocksReadAlone) {
    std::string text = pattern_text() + pattern_text().substr(0, 3000000);  // 3 blocks, the last partial
    char name[] = "/tmp/ledger-input-digest-fed.XXXXXX";
    const int fd = ::mkstemp(name);
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::ofstream(name, std::ios::binary) << text;
    const uint64_t size = text.size();
    for (int ranks = 1; ranks <= 4; ++ranks)
        for (int rank = 0; rank < ranks; ++rank) {
            const ledger::BlockRange range = ledger::digest_blocks_of_rank(size, rank, ranks);
            const std::vector<Digest128> alone = ledger::digest_file_blocks(name, range);
            // Passes over [begin, end): the rank's byte share, one shifted either way, none at all.
            const uint64_t share_begin = size * uint64_t(rank) / uint64_t(ranks), share_end = size * uint64_t(rank + 1) / uint64_t(ranks);
            const std::pair<uint64_t, uint64_t> passes[] = {{share_begin, share_end},
                                                            {share_begin + 777, std::min(size, share_end + 5000)},
                                                            {share_begin > 999 ? share_begin - 999 : 0, share_end > 12345 ? share_end - 12345 : 0},
                                                            {0, 0}};
            for (const auto& [begin, end] : passes) {
                ledger::BlockRangeDigester digester(name, size, range);
                for (uint64_t at = begin; at < end; at += 65521)
                    digester.feed(at, std::string_view(text).substr(size_t(at), size_t(std::min<uint64_t>(65521, end - at))));
                EXPECT_EQ(digester.finish(), alone) << "rank " << rank << " of " << ranks << ", pass from " << begin << " to " << end;
            }
        }
    std::remove(name);
}

// The wording of a value refused under --fixed-scale (in a bad row's error column and in messages).
TEST(FixedScale, RefusalSaysBothCountsAndThatNothingIsRounded) {
    EXPECT_EQ(ledger::too_many_fraction_digits(3, 2), "3 fraction digits where --fixed-scale allows 2 (never rounded)");
    EXPECT_EQ(ledger::too_many_fraction_digits(1, 0), "1 fraction digit where --fixed-scale allows 0 (never rounded)");
    // Padding to the fixed scale is the usual formatting at that scale.
    EXPECT_EQ(ledger::format_units(7, 0), "7");
    EXPECT_EQ(ledger::format_units(70000, 4), "7.0000");
}

}  // namespace
