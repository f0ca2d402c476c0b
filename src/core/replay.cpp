#include "ledger/replay.hpp"

#include "ledger/errors.hpp"
#include "ledger/wide_amounts.hpp"

namespace ledger {

void ReplayTotals::add(const ReplayTotals& other) {
    transfers += other.transfers;
    accepted += other.accepted;
    for (int r = 0; r < kReasonCount; ++r) rejected[size_t(r)] += other.rejected[size_t(r)];
    amount_moved_overflow = amount_moved_overflow || other.amount_moved_overflow ||
                            !checked_add(amount_moved, other.amount_moved, &amount_moved);
}

void replay(std::span<const Transfer> sorted, std::span<const WideAmount> wide, std::span<int128> balances,
            std::vector<Rejection>& rejections, ReplayTotals& totals, const std::function<void(uint64_t)>& on_progress) {
    constexpr size_t kProgressEvery = 1 << 20;
    // Balances are touched in time order, which is random in account order: fetching the balances of a
    // transfer a few places ahead hides most of the memory latency. A rejected transfer's accounts may be
    // unknown, hence the bound check.
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < sorted.size(); ++i) {
        if (on_progress && i % kProgressEvery == 0) on_progress(i);
        if (i + kAhead < sorted.size()) {
            const Transfer& later = sorted[i + kAhead];
            if (later.from < balances.size()) __builtin_prefetch(&balances[later.from]);
            if (later.to < balances.size()) __builtin_prefetch(&balances[later.to]);
        }
        const Transfer& t = sorted[i];
        ++totals.transfers;
        const int128 amount = amount_of(t, wide);
        Reason reason = t.reason();
        if (reason == Reason::none && balances[t.from] < amount) reason = Reason::insufficient_funds;
        if (reason != Reason::none) {
            ++totals.rejected[size_t(reason)];
            rejections.push_back(rejection_of(t, reason));
            continue;
        }
        int128 receiver;
        if (!checked_add(balances[t.to], amount, &receiver))
            throw PositionedError(ExitCode::bad_input, t.position(),
                                  "the receiving account's balance would overflow 128 bits");
        balances[t.from] -= amount;  // cannot overflow: 0 < amount <= balance
        balances[t.to] = receiver;
        ++totals.accepted;
        if (!totals.amount_moved_overflow && !checked_add(totals.amount_moved, amount, &totals.amount_moved))
            totals.amount_moved_overflow = true;
    }
    if (on_progress) on_progress(sorted.size());
}

std::vector<uint128> country_sums(std::span<const int128> balances, std::span<const uint32_t> country_of,
                                  size_t country_count) {
    std::vector<uint128> sums(country_count, 0);
    for (size_t i = 0; i < balances.size(); ++i) sums[country_of[i]] += uint128(balances[i]);
    return sums;
}

void check_conservation(std::span<const uint128> before, std::span<const uint128> after,
                        std::span<const int> owner, int rank) {
    for (size_t c = 0; c < before.size(); ++c) {
        if (owner[c] != rank) continue;
        if (before[c] != after[c])
            fail(ExitCode::internal, "conservation check failed: the balances of country #" + std::to_string(c) +
                                         " do not sum to their opening total after replay");
    }
}

}  // namespace ledger
