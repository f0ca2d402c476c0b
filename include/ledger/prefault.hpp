// Mapping fresh memory in bulk. Under gVisor, where this project's CI and benchmarks run, the first write
// to each fresh page takes a fault that costs several milliseconds per MiB; asking the kernel to populate
// a whole range at once (MADV_POPULATE_WRITE) costs about a third of that (measured in the closing note
// of issue 4). Record vectors of hundreds of MiB are prefaulted this way before they are filled.
#pragma once

#include <cstddef>
#include <vector>

namespace ledger {

// Best effort: does nothing where the kernel does not support it.
void prefault_for_writing(void* begin, size_t bytes);

// Reserves room for `count` more elements and prefaults that room. `headroom` more elements are reserved
// but not touched: address space only, resident only if the vector grows into it.
template <typename T>
void reserve_prefaulted(std::vector<T>& v, size_t count, size_t headroom = 0) {
    const size_t before = v.size();
    v.reserve(before + count + headroom);
    prefault_for_writing(v.data() + before, count * sizeof(T));
}

}  // namespace ledger
