#include "quarantine_part.hpp"

#include <algorithm>

#include "ledger/output.hpp"

namespace ledger {

OutputPart quarantine_part(std::vector<BadRow> rows, size_t inputs, mpi::Exchange& exchange) {
    std::sort(rows.begin(), rows.end(), [](const BadRow& a, const BadRow& b) {
        return a.file_index != b.file_index ? a.file_index < b.file_index : a.line < b.line;
    });
    std::vector<std::string> text(inputs);
    for (const BadRow& row : rows) append_quarantine_row(text[row.file_index], row);
    std::vector<uint64_t> bytes(inputs);
    for (size_t f = 0; f < inputs; ++f) bytes[f] = text[f].size();
    const std::vector<uint64_t> all = exchange.all_gather(bytes);  // rank after rank, a count per input
    const size_t ranks = size_t(exchange.size()), me = size_t(exchange.rank());
    OutputPart part;
    if (me == 0) part.pieces.push_back({0, std::string(kQuarantineHeader)});
    uint64_t offset = kQuarantineHeader.size();
    for (size_t f = 0; f < inputs; ++f)
        for (size_t r = 0; r < ranks; ++r) {
            if (r == me && !text[f].empty()) part.pieces.push_back({offset, std::move(text[f])});
            offset += all[r * inputs + f];
        }
    return part;
}

}  // namespace ledger
