#include "ledger/replay.hpp"

#include <algorithm>
#include <array>

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

namespace {

// The transfers of two sorted runs in the order of both together, one at a time. The pick is branch-free:
// where the runs' times overlap (the two ranks' parts of a file not exported in time order, or of two
// files of the same hours) they interleave at random, and a mispredicted branch per transfer costs more
// than the merge.
class TwoRunMerge {
public:
    TwoRunMerge(std::span<const Transfer> first, std::span<const Transfer> second) : first_(first), second_(second) {}

    // The next transfer; only while some are left.
    const Transfer* next() {
        const OrderKey first_key = next_first_ < first_.size() ? first_[next_first_].order : kAfterAll;
        const OrderKey second_key = next_second_ < second_.size() ? second_[next_second_].order : kAfterAll;
        const bool take_first = first_key < second_key;  // never equal: positions are unique
        const Transfer* t = take_first ? &first_[next_first_] : &second_[next_second_];
        next_first_ += take_first;
        next_second_ += !take_first;
        return t;
    }

private:
    static constexpr OrderKey kAfterAll{UINT64_MAX, UINT64_MAX};  // what a finished run reads as
    std::span<const Transfer> first_, second_;
    size_t next_first_ = 0, next_second_ = 0;
};

// The same for any number of runs (a rank at np 3 or more holds one from every rank): the runs' next
// keys in a binary heap, a few compares per transfer for the 64 runs of a 64-rank job.
class ManyRunMerge {
public:
    // Each run is what is left of it: its front is its next transfer.
    explicit ManyRunMerge(std::vector<std::span<const Transfer>> runs) : runs_(std::move(runs)) {
        for (uint32_t r = 0; r < runs_.size(); ++r)
            if (!runs_[r].empty()) heads_.push_back({runs_[r].front().order, r});
        std::make_heap(heads_.begin(), heads_.end(), later);
    }

    const Transfer* next() {
        std::pop_heap(heads_.begin(), heads_.end(), later);
        Head& head = heads_.back();
        std::span<const Transfer>& run = runs_[head.run];
        const Transfer* t = &run.front();
        run = run.subspan(1);
        if (!run.empty()) {
            head.key = run.front().order;
            std::push_heap(heads_.begin(), heads_.end(), later);
        } else {
            heads_.pop_back();
        }
        return t;
    }

private:
    struct Head {
        OrderKey key;
        uint32_t run;
    };
    static bool later(const Head& a, const Head& b) { return b.key < a.key; }  // the heap's top is the earliest
    std::vector<std::span<const Transfer>> runs_;
    std::vector<Head> heads_;
};

// Applies the transfers `merged` yields (`total` of them) to the balances, in that order.
template <class Merge>
void replay_merged(Merge merged, size_t total, std::span<const WideAmount> wide, std::span<int128> balances,
                   std::vector<Rejection>& rejections, ReplayTotals& totals,
                   const std::function<void(uint64_t)>& on_progress) {
    constexpr size_t kProgressEvery = 1 << 20;
    // Balances are touched in time order, which is random in account order: the merge runs kAhead
    // transfers ahead of the replay, and the balances of each transfer it yields are fetched then, which
    // hides most of the memory latency. A rejected transfer's accounts may be unknown, hence the bound
    // check. Merging in step with the replay, prefetching a few ahead in each run, left the loads waiting
    // (CHANGELOG.md has the figures).
    constexpr size_t kAhead = 16;
    const auto prefetch = [&](const Transfer* later) {
        if (later->from < balances.size()) __builtin_prefetch(&balances[later->from]);
        if (later->to < balances.size()) __builtin_prefetch(&balances[later->to]);
    };
    std::array<const Transfer*, kAhead> upcoming{};
    for (size_t k = 0; k < std::min(kAhead, total); ++k) prefetch(upcoming[k] = merged.next());
    for (size_t done = 0; done < total; ++done) {
        if (on_progress && done % kProgressEvery == 0) on_progress(done);
        const Transfer& t = *upcoming[done % kAhead];
        if (done + kAhead < total) prefetch(upcoming[done % kAhead] = merged.next());
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
    if (on_progress) on_progress(total);
}

}  // namespace

void replay(std::span<const Transfer> transfers, std::span<const size_t> later_run_starts,
            std::span<const WideAmount> wide, std::span<int128> balances, std::vector<Rejection>& rejections,
            ReplayTotals& totals, const std::function<void(uint64_t)>& on_progress) {
    std::vector<std::span<const Transfer>> runs;
    size_t start = 0;
    for (const size_t next_start : later_run_starts) {
        if (next_start < start || next_start > transfers.size())
            fail(ExitCode::internal, "the replay's runs are not in order within the transfers");
        runs.push_back(transfers.subspan(start, next_start - start));
        start = next_start;
    }
    runs.push_back(transfers.subspan(start));
    if (runs.size() == 1) runs.emplace_back();
    if (runs.size() == 2)
        replay_merged(TwoRunMerge(runs[0], runs[1]), transfers.size(), wide, balances, rejections, totals, on_progress);
    else
        replay_merged(ManyRunMerge(std::move(runs)), transfers.size(), wide, balances, rejections, totals, on_progress);
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
