#include "share_joints.hpp"

namespace ledger {

std::vector<bool> shares_join_up(mpi::Exchange& exchange, std::span<const uint64_t> first_rows,
                                 std::span<const uint64_t> next_rows) {
    const size_t files = first_rows.size();
    std::vector<uint64_t> mine;
    for (size_t f = 0; f < files; ++f) {
        // Where a share's reading began: its first row, or where it stopped if it had none.
        mine.push_back(first_rows[f] != UINT64_MAX ? first_rows[f] : next_rows[f]);
        mine.push_back(next_rows[f]);
    }
    const std::vector<uint64_t> all = exchange.all_gather(mine);
    std::vector<bool> joined(files, true);
    for (size_t f = 0; f < files; ++f)
        for (int r = 1; r < exchange.size(); ++r) {
            const uint64_t previous_next = all[size_t(r - 1) * files * 2 + f * 2 + 1];
            const uint64_t start = all[size_t(r) * files * 2 + f * 2];
            joined[f] = joined[f] && previous_next == start;
        }
    return joined;
}

}  // namespace ledger
