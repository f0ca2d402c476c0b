#include "route_to_owners.hpp"

#include "ledger/grouping.hpp"
#include "ledger/order.hpp"
#include "ledger/prefault.hpp"
#include "ledger/wide_amounts.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// Lays each record (a transfer or a wide amount: both name their sender) into the group of the rank that
// replays its sender's country, in place and in input order within each group (grouping.hpp), and names
// its accounts by their places there as it goes.
void group_by_owner(std::span<Transfer> transfers, std::span<const size_t> layout, std::span<const uint64_t> count,
                    std::span<const int> owner, std::span<const uint32_t> key_country, std::span<const uint32_t> key_place) {
    group_stably(
        transfers, layout, count,
        [&](Transfer& t) {
            const size_t o = size_t(owner[key_country[t.from]]);
            t.from = key_place[t.from];
            t.to = key_place[t.to];
            return o;
        },
        [&](const Transfer& t) {
            __builtin_prefetch(&key_country[t.from]);
            __builtin_prefetch(&key_place[t.from]);
            __builtin_prefetch(&key_place[t.to]);
        });
}

void group_by_owner(std::span<WideAmount> wide, std::span<const size_t> layout, std::span<const uint64_t> count,
                    std::span<const int> owner, std::span<const uint32_t> key_country, std::span<const uint32_t> key_place) {
    group_stably(wide, layout, count, [&](WideAmount& w) {
        const size_t o = size_t(owner[key_country[w.from]]);
        w.from = key_place[w.from];
        return o;
    });
}

// The same for one rank, which keeps every record where it is.
void name_by_place(std::span<Transfer> transfers, std::span<WideAmount> wide, std::span<const uint32_t> key_place) {
    // key_place is read at random: fetched a few transfers ahead, so that the misses overlap.
    constexpr size_t kAhead = 16;
    for (size_t i = 0; i < transfers.size(); ++i) {
        if (i + kAhead < transfers.size()) {
            __builtin_prefetch(&key_place[transfers[i + kAhead].from]);
            __builtin_prefetch(&key_place[transfers[i + kAhead].to]);
        }
        transfers[i].from = key_place[transfers[i].from];
        transfers[i].to = key_place[transfers[i].to];
    }
    for (WideAmount& w : wide) w.from = key_place[w.from];
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

std::vector<std::vector<uint32_t>> send_accounts_to_owners(const AccountShare& share, std::span<const int128> opening,
                                                           std::span<const uint32_t> share_places,
                                                           std::span<const int> owner, RankWork& work,
                                                           mpi::Exchange& exchange) {
    // An account on the wire: its opening balance, country and place, 24 bytes.
    constexpr size_t kAccountBytes = sizeof(int128) + 2 * sizeof(uint32_t);
    std::vector<mpi::Bytes> to_owner(size_t(exchange.size()));
    {
        // Sized first: grown by doubling, the buffers would copy and fault in several times their size.
        std::vector<size_t> accounts_to(to_owner.size(), 0);
        for (const uint32_t c : share.country) ++accounts_to[size_t(owner[c])];
        for (size_t o = 0; o < to_owner.size(); ++o) reserve_huge(to_owner[o], accounts_to[o] * kAccountBytes);
    }
    for (size_t i = 0; i < share.country.size(); ++i) {
        mpi::Bytes& out = to_owner[size_t(owner[share.country[i]])];
        mpi::append_value(out, opening[i]);
        mpi::append_value(out, share.country[i]);
        mpi::append_value(out, share_places[i]);
    }
    const std::vector<mpi::Bytes> received = exchange.exchange_bytes(std::move(to_owner));
    size_t held = 0;
    for (const mpi::Bytes& bytes : received) held += bytes.size() / kAccountBytes;
    // Filled at random (by place): in large pages, as the balances they become are read.
    reserve_huge(work.opening, held, kRandomTableMinBytes);
    reserve_huge(work.account_country, held, kRandomTableMinBytes);
    work.opening.resize(held);
    work.account_country.resize(held);
    std::vector<std::vector<uint32_t>> places_from;
    for (const mpi::Bytes& bytes : received) {
        mpi::ByteReader in(bytes);
        std::vector<uint32_t>& places = places_from.emplace_back();
        reserve_huge(places, bytes.size() / kAccountBytes);
        while (!in.done()) {
            const int128 balance = in.value<int128>();
            const uint32_t country = in.value<uint32_t>(), place = in.value<uint32_t>();
            if (place >= held) fail(ExitCode::internal, "an account's place is beyond its owner's accounts");
            work.opening[place] = balance;
            work.account_country[place] = country;
            places.push_back(place);
        }
    }
    // Transfers name accounts by their place here, so the replay's balances are indexed by place.
    reserve_huge(work.account_index, held);
    work.account_index.resize(held);
    for (uint32_t i = 0; i < work.account_index.size(); ++i) work.account_index[i] = i;
    return places_from;
}

void send_transfers_to_owners(TransferShare& share, std::span<const uint32_t> key_country,
                              std::span<const uint32_t> key_place, std::span<const uint64_t> transfers_per_owner,
                              std::span<const int> owner, RankWork& work, StageTimes& times, mpi::Exchange& exchange) {
    const int ranks = exchange.size(), rank = exchange.rank();
    const std::vector<uint64_t> group_counts(transfers_per_owner.begin(), transfers_per_owner.end());
    std::vector<uint64_t> wide_counts(size_t(ranks), 0);
    const std::vector<size_t> layout = mpi::Exchange::group_layout(rank, ranks);
    {
        StageTimer timer(times, Stage::partition);
        // From here on an account is named by its place at its owner, where it is replayed.
        step(exchange, [&] {
            for (const WideAmount& w : share.wide) ++wide_counts[size_t(owner[key_country[w.from]])];
            if (ranks == 1) {
                name_by_place(share.transfers, share.wide, key_place);
                return;
            }
            group_by_owner(share.transfers, layout, group_counts, owner, key_country, key_place);
            group_by_owner(share.wide, layout, wide_counts, owner, key_country, key_place);
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
