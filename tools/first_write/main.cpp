// ledger-first-write COUNT: reserves and populates room for COUNT transfer records exactly as the parse
// does (reserve_prefaulted: 2 MiB pages, populated in one call), and prints the seconds that took and the
// bytes it populated.
//
// A floor for the benchmark, like `wc -l`: on a virtual machine whose host takes freed memory back, the
// first write to fresh memory costs far more than the copy itself, and a rank's records are most of the
// memory it writes (scripts/bench-first-write.sh runs it with the record counts of one rank on M).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ledger/prefault.hpp"
#include "ledger/records.hpp"

int main(int argc, char** argv) {
    char* end = nullptr;
    const unsigned long long count = argc == 2 ? std::strtoull(argv[1], &end, 10) : 0;
    if (argc != 2 || argv[1][0] < '0' || argv[1][0] > '9' || *end != '\0') {
        std::fprintf(stderr, "usage: ledger-first-write RECORD_COUNT\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<ledger::Transfer> records;
    ledger::reserve_prefaulted(records, size_t(count));
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::printf("%.3f %llu\n", took.count(), static_cast<unsigned long long>(count * sizeof(ledger::Transfer)));
    return 0;
}
