// Mapping fresh memory in bulk and in large pages. On the virtual machines this project's CI and
// benchmarks run on, the first write to each fresh 4 KiB page costs a fault of over ten microseconds, and
// a miss in the TLB a slow nested page walk. Two remedies: populating a whole range in one call
// (MADV_POPULATE_WRITE) and asking for 2 MiB pages (MADV_HUGEPAGE; the kernel's default "madvise" mode
// grants them only on request). Together they make the first write an order of magnitude cheaper
// (docs/performance.md, "The first write to fresh memory"). Large vectors that are filled at once or read
// at random (records, account tables, balances, rejections, output text) are reserved this way.
#pragma once

#include <cstddef>
#include <vector>

namespace ledger {

// Best effort, both: they do nothing where the kernel does not support them. Ranges under min_bytes keep
// small pages.
void prefault_for_writing(void* begin, size_t bytes);
void advise_huge_pages(void* begin, size_t bytes, size_t min_bytes = size_t{8} << 20);

// Reserves room for `count` elements in all, in large pages where the room covers them. Pages the
// container's elements already fill stay small (reserving copies them first).
template <typename Container>
void reserve_huge(Container& c, size_t count, size_t min_bytes = size_t{8} << 20) {
    c.reserve(count);
    advise_huge_pages(c.data(), c.capacity() * sizeof(*c.data()), min_bytes);
}

// Tables read at random and filled whole take large pages from 2 MiB on: in small pages nearly every read
// misses the TLB.
inline constexpr size_t kRandomTableMinBytes = size_t{2} << 20;

// `count` copies of `value`, in large pages where they cover them: for tables read at random.
template <typename T>
void assign_huge(std::vector<T>& v, size_t count, const T& value) {
    reserve_huge(v, count, kRandomTableMinBytes);
    v.assign(count, value);
}

// Reserves room for `count` more elements and prefaults that room. `headroom` more elements are reserved
// but not touched: address space only, resident only if the vector grows into it.
template <typename T>
void reserve_prefaulted(std::vector<T>& v, size_t count, size_t headroom = 0) {
    const size_t before = v.size();
    v.reserve(before + count + headroom);
    advise_huge_pages(v.data() + before, (count + headroom) * sizeof(T));
    prefault_for_writing(v.data() + before, count * sizeof(T));
}

}  // namespace ledger
