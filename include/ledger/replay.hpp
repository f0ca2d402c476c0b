// The replay itself: transfers in replay order move money between accounts of one country. Only
// insufficient_funds is decided here; the other reasons were settled at parse time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "ledger/records.hpp"

namespace ledger {

struct ReplayTotals {
    uint64_t transfers = 0;                       // transfers seen, accepted or rejected
    uint64_t accepted = 0;
    std::array<uint64_t, kReasonCount> rejected{};  // by Reason
    int128 amount_moved = 0;                      // sum of accepted amounts
    bool amount_moved_overflow = false;           // the sum did not fit; reported as unknown

    void add(const ReplayTotals& other);
};

// Applies `transfers` to `balances` (indexed by account) in replay order. The transfers are sorted runs
// side by side: the first starts at 0 and each later one at the next of `later_run_starts` (ascending).
// The runs are merged as they are read, so a rank holding one sorted run from every rank needs no merge
// buffer. The wide amounts among them are in `wide`, sorted by position. Transfers carrying a static
// reason are recorded as rejected and change nothing. Throws PositionedError(bad_input) if a receiver's
// balance would overflow. `on_progress`, when given, is called now and then with the transfers done.
void replay(std::span<const Transfer> transfers, std::span<const size_t> later_run_starts,
            std::span<const WideAmount> wide, std::span<int128> balances, std::vector<Rejection>& rejections,
            ReplayTotals& totals, const std::function<void(uint64_t)>& on_progress = {});

// The same for one run.
inline void replay(std::span<const Transfer> sorted, std::span<const WideAmount> wide, std::span<int128> balances,
                   std::vector<Rejection>& rejections, ReplayTotals& totals,
                   const std::function<void(uint64_t)>& on_progress = {}) {
    replay(sorted, std::span<const size_t>{}, wide, balances, rejections, totals, on_progress);
}

// Sum of balances per country, modulo 2^128: equal sums before and after replay is the conservation
// check. Wrapping is deliberate: it cannot overflow, and a real imbalance is never a multiple of 2^128.
std::vector<uint128> country_sums(std::span<const int128> balances, std::span<const uint32_t> country_of,
                                  size_t country_count);

// Throws LedgerError(internal) naming the first country whose sum changed.
void check_conservation(std::span<const uint128> before, std::span<const uint128> after,
                        std::span<const int> owner, int rank);

}  // namespace ledger
