#include "route_to_owners.hpp"

#include "ledger/grouping.hpp"
#include "ledger/order.hpp"
#include "ledger/wide_amounts.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// Lays each record (a transfer or a wide amount: both name their sender) into the group of the rank that
// replays its sender's country, in place and in input order within each group (grouping.hpp).
template <class Record>
void group_by_owner(std::vector<Record>& records, std::span<const size_t> layout, std::span<const uint64_t> count,
                    std::span<const int> owner, std::span<const uint32_t> key_country) {
    group_stably(
        std::span(records), layout, count, [&](const Record& r) { return size_t(owner[key_country[r.from]]); },
        [&](const Record& r) { __builtin_prefetch(&key_country[r.from]); });
}

}  // namespace

std::vector<uint32_t> place_accounts(const AccountShare& share, std::span<const int> owner, mpi::Exchange& exchange) {
    const size_t ranks = size_t(exchange.size());
    std::vector<uint64_t> mine(ranks, 0);
    for (const uint32_t c : share.country) ++mine[size_t(owner[c])];
    const std::vector<uint64_t> all = exchange.all_gather(mine);
    std::vector<uint64_t> next(ranks, 0);  // per owner: the place of this share's next account there
    for (size_t r = 0; r < size_t(exchange.rank()); ++r)
        for (size_t o = 0; o < ranks; ++o) next[o] += all[r * ranks + o];
    std::vector<uint32_t> slot(share.country.size());
    for (size_t i = 0; i < slot.size(); ++i) slot[i] = uint32_t(next[size_t(owner[share.country[i]])]++);
    for (const uint64_t n : next)
        if (n >= kUnknownAccount) fail(ExitCode::internal, "one rank would replay 4 billion accounts or more");
    return slot;
}

std::vector<uint64_t> send_accounts_to_owners(const AccountShare& share, std::span<const int128> opening,
                                              std::span<const int> owner, RankWork& work, mpi::Exchange& exchange) {
    std::vector<mpi::Bytes> to_owner(size_t(exchange.size()));
    for (size_t i = 0; i < share.country.size(); ++i) {
        mpi::Bytes& out = to_owner[size_t(owner[share.country[i]])];
        mpi::append_value(out, opening[i]);
        mpi::append_value(out, share.country[i]);
    }
    const std::vector<mpi::Bytes> received = exchange.exchange_bytes(std::move(to_owner));
    std::vector<uint64_t> came_from;
    for (const mpi::Bytes& bytes : received) {
        mpi::ByteReader in(bytes);
        uint64_t n = 0;
        for (; !in.done(); ++n) {
            work.opening.push_back(in.value<int128>());
            work.account_country.push_back(in.value<uint32_t>());
        }
        came_from.push_back(n);
    }
    // Transfers name accounts by their place here, so the replay's balances are indexed by place.
    work.account_index.resize(work.opening.size());
    for (uint32_t i = 0; i < work.account_index.size(); ++i) work.account_index[i] = i;
    return came_from;
}

void send_transfers_to_owners(TransferShare& share, std::span<const uint32_t> key_country,
                              std::span<const uint32_t> key_slot, std::span<const int> owner, RankWork& work,
                              StageTimes& times, mpi::Exchange& exchange) {
    const int ranks = exchange.size(), rank = exchange.rank();
    std::vector<uint64_t> group_counts(size_t(ranks), 0), wide_counts(size_t(ranks), 0);
    const std::vector<size_t> layout = mpi::Exchange::group_layout(rank, ranks);
    {
        StageTimer timer(times, Stage::partition);
        step(exchange, [&] {
            for (const Transfer& t : share.transfers) ++group_counts[size_t(owner[key_country[t.from]])];
            for (const WideAmount& w : share.wide) ++wide_counts[size_t(owner[key_country[w.from]])];
            if (ranks > 1) {
                group_by_owner(share.transfers, layout, group_counts, owner, key_country);
                group_by_owner(share.wide, layout, wide_counts, owner, key_country);
            }
            // From here on an account is named by its place at its owner, where it is replayed.
            // key_slot is read at random: fetched a few transfers ahead, so that the misses overlap.
            constexpr size_t kAhead = 16;
            std::span<Transfer> transfers(share.transfers);
            for (size_t i = 0; i < transfers.size(); ++i) {
                if (i + kAhead < transfers.size()) {
                    __builtin_prefetch(&key_slot[transfers[i + kAhead].from]);
                    __builtin_prefetch(&key_slot[transfers[i + kAhead].to]);
                }
                transfers[i].from = key_slot[transfers[i].from];
                transfers[i].to = key_slot[transfers[i].to];
            }
            for (WideAmount& w : share.wide) w.from = key_slot[w.from];
        });
    }
    {
        StageTimer timer(times, Stage::sort);
        // Sorting where the records were parsed keeps the sort as even across ranks as the parse, however
        // unevenly the countries' transfers fall on their owners, and a group in input order is nearly
        // sorted on a day exported in time order.
        step(exchange, [&] {
            size_t begin = 0;
            for (const size_t r : layout) {
                sort_for_replay(std::span(share.transfers).subspan(begin, size_t(group_counts[r])));
                begin += size_t(group_counts[r]);
            }
        });
    }
    StageTimer timer(times, Stage::exchange);
    const size_t kept = size_t(group_counts[size_t(rank)]);
    std::vector<uint64_t> received_counts;
    if (ranks > 1) {
        received_counts = exchange.exchange_in_place(share.transfers, group_counts);
        exchange.exchange_in_place(share.wide, wide_counts);
    }
    work.transfers = std::move(share.transfers);
    work.wide_amounts = std::move(share.wide);
    size_t run_start = kept;
    for (const uint64_t n : received_counts) {
        work.later_run_starts.push_back(run_start);
        run_start += size_t(n);
    }
    sort_by_position(work.wide_amounts);
}

}  // namespace ledger
