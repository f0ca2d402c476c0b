#include "ledger/chunking.hpp"

#include <cstring>

#include "ledger/csv.hpp"

namespace ledger {

std::vector<uint64_t> propose_cuts(std::string_view text, uint64_t data_start, int parts) {
    const uint64_t size = text.size();
    std::vector<uint64_t> cuts{data_start};
    const uint64_t span = size > data_start ? size - data_start : 0;
    for (int p = 1; p < parts; ++p) {
        uint64_t at = data_start + span * uint64_t(p) / uint64_t(parts);
        at = std::max(at, cuts.back());
        // Just after the line feed that ends the line containing `at - 1` (a cut on a line start stays).
        if (at > data_start && at < size && text[at - 1] != '\n') {
            const void* nl = std::memchr(text.data() + at, '\n', size - at);
            at = nl ? uint64_t(static_cast<const char*>(nl) - text.data()) + 1 : size;
        }
        cuts.push_back(std::min(at, size));
    }
    cuts.push_back(size);
    return cuts;
}

std::vector<uint64_t> row_starts_at(std::string_view text, uint64_t data_start, std::span<const uint64_t> cuts) {
    std::vector<uint64_t> fixed(cuts.begin(), cuts.end());
    CsvReader reader(text.substr(data_start), 1, data_start);
    CsvRow row;
    size_t next = 1;  // the first cut is data_start itself, the last is the end of the text
    while (next + 1 < fixed.size() && reader.next(row))
        while (next + 1 < fixed.size() && row.offset >= cuts[next]) fixed[next++] = row.offset;
    for (; next + 1 < fixed.size(); ++next) fixed[next] = text.size();
    return fixed;
}

}  // namespace ledger
