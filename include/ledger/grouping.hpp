// Groups records by the rank they go to, in place and keeping input order within every group.
//
// Why in order: the records of a day exported in time order are nearly sorted, and a nearly sorted group
// sorts in two passes (sort_nearly_sorted) where a scrambled one takes a quicksort. The earlier grouping
// (swaps, as an American flag sort does) kept the rank's own group in order but scrambled every other,
// and the half a rank received then took a quicksort three times as long as two passes. Why in place: a grouped copy would be as much fresh memory as the records, and the first write
// to fresh memory is a large part of the ingest's time on the machines this runs on (prefault.hpp).
//
// How: one pass deals the records into one small buffer per group and writes each buffer back, whenever
// it fills, as a block behind the read position (a block's records were all read already, so nothing is
// overwritten). The blocks are then moved, whole, into group order by following the permutation's
// cycles; last, each group is shifted up to its final start and its unfilled buffer appended. Each
// record is copied two to four times, each copy part of a long sequential run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include "ledger/errors.hpp"

namespace ledger {

// Blocks of this many bytes at most per group; fewer records per block when there are many groups, so
// that the buffers stay a few MiB in all. Any size gives the same result; tests use small ones.
inline constexpr size_t kGroupingScratchBytes = size_t{4} << 20;
inline constexpr size_t kMaxGroupingBlockBytes = size_t{512} << 10;

template <class Record>
size_t grouping_block_records(size_t groups) {
    static_assert(sizeof(Record) * 64 <= kMaxGroupingBlockBytes, "a block holds at least 64 records");
    const size_t per_group = kGroupingScratchBytes / (groups + 1) / sizeof(Record);
    return std::clamp<size_t>(per_group, 64, kMaxGroupingBlockBytes / sizeof(Record));
}

// Lays `records` out as the groups named in `layout`, in that order, each group's records in their
// order before. group_of(record) is the record's group, an index into `count`, which holds how many
// records each group has; it is called once per record, in order, on a copy that it may also rewrite
// and that is laid out as rewritten (so a pass that relabels the records costs no pass of its own).
// Every group appears in `layout` once. A layout or counts that break these rules are a
// LedgerError(internal), after which the records are in no particular order.
// prefetch(record) is called kPrefetchAhead records before group_of(record): a group found through a
// table read at random (a sender's country) misses the cache, and the dealing loop otherwise waits for
// each miss in turn.
inline constexpr size_t kPrefetchAhead = 16;
inline constexpr auto kNoPrefetch = [](const auto&) {};
template <class Record, class GroupOf, class Prefetch = decltype(kNoPrefetch)>
void group_stably(std::span<Record> records, std::span<const size_t> layout, std::span<const uint64_t> count,
                  GroupOf group_of, Prefetch prefetch = kNoPrefetch, size_t block = 0) {
    static_assert(std::is_trivially_copyable_v<Record>);
    const size_t groups = count.size();
    if (block == 0) block = grouping_block_records<Record>(groups);
    if (layout.size() != groups) fail(ExitCode::internal, "grouping layout does not name every group once");
    std::vector<bool> named(groups, false);
    for (const size_t g : layout) {
        if (g >= groups || named[g]) fail(ExitCode::internal, "grouping layout does not name every group once");
        named[g] = true;
    }

    // Deal into the buffers; a full buffer becomes the next block at the front.
    std::vector<Record> buffers(groups * block);
    std::vector<size_t> filled(groups, 0), blocks_of(groups, 0);
    std::vector<uint32_t> block_group;  // each written block's group, in the order written
    size_t written = 0;
    for (size_t i = 0; i < std::min(kPrefetchAhead, records.size()); ++i) prefetch(records[i]);
    for (size_t i = 0; i < records.size(); ++i) {
        if (i + kPrefetchAhead < records.size()) prefetch(records[i + kPrefetchAhead]);
        Record record = records[i];
        const size_t g = group_of(record);
        if (g >= groups) fail(ExitCode::internal, "a record's group is out of range");
        Record* buffer = buffers.data() + g * block;
        buffer[filled[g]++] = record;
        if (filled[g] == block) {
            std::memcpy(records.data() + written, buffer, block * sizeof(Record));  // written + block <= i + 1
            written += block;
            block_group.push_back(uint32_t(g));
            ++blocks_of[g];
            filled[g] = 0;
        }
    }
    for (size_t g = 0; g < groups; ++g)
        if (blocks_of[g] * block + filled[g] != count[g])
            fail(ExitCode::internal, "records to group do not match their group counts");

    // Where each group's blocks lie once moved, and where its records start: the groups in layout order.
    std::vector<size_t> first_block(groups), first_record(groups);
    size_t next_block = 0, next_record = 0;
    for (const size_t g : layout) {
        first_block[g] = next_block;
        first_record[g] = next_record;
        next_block += blocks_of[g];
        next_record += count[g];
    }
    // The block each place takes: a group's blocks side by side, in the order they were written.
    std::vector<size_t> source(block_group.size());
    {
        std::vector<size_t> placed = first_block;
        for (size_t b = 0; b < block_group.size(); ++b) source[placed[block_group[b]]++] = b;
    }
    // Each cycle of the permutation is walked once: its first block is set aside, which leaves a hole, and
    // the hole is filled from the block that belongs there, which moves the hole to where that block was,
    // until the block set aside fills it. One copy of each block moved; a place done is marked by being
    // its own source.
    std::vector<Record> carried(block);
    const auto block_at = [&](size_t b) { return records.data() + b * block; };
    for (size_t start = 0; start < source.size(); ++start) {
        if (source[start] == start) continue;
        std::memcpy(carried.data(), block_at(start), block * sizeof(Record));
        size_t hole = start;
        while (source[hole] != start) {
            const size_t from = source[hole];
            std::memcpy(block_at(hole), block_at(from), block * sizeof(Record));
            source[hole] = hole;
            hole = from;
        }
        std::memcpy(block_at(hole), carried.data(), block * sizeof(Record));
        source[hole] = hole;
    }

    // From the last group to the first, each group's blocks move up to its start (never below where
    // they are: the unfilled buffers of the groups before it come first) and its buffer follows them.
    for (auto g_at = layout.rbegin(); g_at != layout.rend(); ++g_at) {
        const size_t g = *g_at, full = blocks_of[g] * block;
        Record* const to = records.data() + first_record[g];
        // Both guarded: a group with nothing to move may sit in an empty vector, whose data() may be null.
        if (full != 0 && to != block_at(first_block[g])) std::memmove(to, block_at(first_block[g]), full * sizeof(Record));
        if (filled[g] != 0) std::memcpy(to + full, buffers.data() + g * block, filled[g] * sizeof(Record));
    }
}

}  // namespace ledger
