#include "ledger/prefault.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older headers lack the name
#endif

namespace ledger {
namespace {

// The whole pages inside [begin, begin + bytes): the partial pages at its ends may belong to other objects.
bool inner_pages(void* begin, size_t bytes, uintptr_t* first, uintptr_t* last) {
    static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
    *first = (reinterpret_cast<uintptr_t>(begin) + page - 1) & ~(page - 1);
    *last = (reinterpret_cast<uintptr_t>(begin) + bytes) & ~(page - 1);
    return *first < *last;
}

}  // namespace

void prefault_for_writing(void* begin, size_t bytes) {
    uintptr_t first = 0, last = 0;
    if (inner_pages(begin, bytes, &first, &last))
        (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
}

void advise_huge_pages(void* begin, size_t bytes, size_t min_bytes) {
    // A large page is resident whole once touched, so a small range would be mostly padding: its last page
    // may be nearly empty, and a vector reserved ahead (the rejections) fills in 2 MiB steps. From 8 MiB on
    // that is at most a quarter of the range. A table filled whole at once has no such padding, and one
    // read at random misses the TLB on nearly every read in small pages, so assign_huge asks from 2 MiB.
    if (bytes < min_bytes) return;
    uintptr_t first = 0, last = 0;
    if (inner_pages(begin, bytes, &first, &last)) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace ledger
