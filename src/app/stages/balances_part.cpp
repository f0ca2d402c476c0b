#include "balances_part.hpp"

#include "ledger/output.hpp"
#include "ledger/prefault.hpp"

namespace ledger {

std::vector<int128> return_closing_balances(const AccountShare& share, std::span<const int> owner,
                                            std::span<const int128> closing,
                                            std::span<const std::vector<uint32_t>> places_from, mpi::Exchange& exchange) {
    size_t received = 0;
    for (const std::vector<uint32_t>& places : places_from) received += places.size();
    if (received != closing.size()) fail(ExitCode::internal, "closing balances do not match the accounts received");
    std::vector<mpi::Bytes> back(places_from.size(), mpi::Bytes{});
    for (size_t r = 0; r < places_from.size(); ++r) {
        back[r].reserve(places_from[r].size() * sizeof(int128));
        for (const uint32_t place : places_from[r]) mpi::append_value(back[r], closing[place]);
    }
    std::vector<std::vector<int128>> from_owner;
    for (const mpi::Bytes& bytes : exchange.exchange_bytes(std::move(back))) {
        mpi::ByteReader in(bytes);
        from_owner.push_back(in.items<int128>(bytes.size() / sizeof(int128)));
    }
    // Each owner sent this share's accounts in the order they were sent to it: the share's order.
    std::vector<size_t> next(from_owner.size(), 0);
    std::vector<int128> mine(share.country.size());
    for (size_t i = 0; i < mine.size(); ++i) {
        const size_t o = size_t(owner[share.country[i]]);
        if (next[o] >= from_owner[o].size()) fail(ExitCode::internal, "an owner returned too few closing balances");
        mine[i] = from_owner[o][next[o]++];
    }
    return mine;
}

OutputPart balances_part(const AccountShare& share, std::span<const int128> closing, int scale, mpi::Exchange& exchange) {
    std::string rows;
    reserve_huge(rows, share.table.size() * size_t(24 + scale));
    append_balance_rows(rows, share.table, closing, scale);
    uint64_t total = 0;
    const uint64_t before = exchange.exclusive_sum(rows.size(), &total);
    OutputPart part;
    if (exchange.is_root()) part.pieces.push_back({0, std::string(kBalancesHeader)});
    if (!rows.empty()) part.pieces.push_back({kBalancesHeader.size() + before, std::move(rows)});
    return part;
}

}  // namespace ledger
