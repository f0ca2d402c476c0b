#include "ledger/static_rejections.hpp"

#include <algorithm>

#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"

namespace ledger {
namespace {

void reject(const Transfer& t, Reason reason, std::vector<Rejection>& rejections, ReplayTotals& totals) {
    ++totals.transfers;
    ++totals.rejected[size_t(reason)];
    rejections.push_back(rejection_of(t, reason));
}

void drop_rejected_wide_amounts(std::vector<WideAmount>& wide) {
    std::erase_if(wide, [](const WideAmount& w) { return w.reason != Reason::none; });
}

}  // namespace

void split_static_rejections(std::vector<Transfer>& transfers, std::vector<WideAmount>& wide,
                             std::vector<Rejection>& rejections, ReplayTotals& totals) {
    size_t kept = 0;
    for (const Transfer& t : transfers) {
        if (t.reason() == Reason::none) transfers[kept++] = t;
        else reject(t, t.reason(), rejections, totals);
    }
    transfers.resize(kept);
    drop_rejected_wide_amounts(wide);
}

void resolve_static_rejections(std::vector<Transfer>& transfers, std::vector<WideAmount>& wide,
                               std::span<const uint32_t> key_country, std::vector<Rejection>& rejections,
                               ReplayTotals& totals, std::span<uint64_t> kept_per_country) {
    // The table is read at random, two entries a transfer: fetched a few transfers ahead, so that the
    // misses overlap.
    constexpr size_t kAhead = 16;
    size_t kept = 0;
    for (size_t i = 0; i < transfers.size(); ++i) {
        if (i + kAhead < transfers.size()) {
            __builtin_prefetch(&key_country[transfers[i + kAhead].from]);
            __builtin_prefetch(&key_country[transfers[i + kAhead].to]);
        }
        Transfer t = transfers[i];
        const uint32_t from_country = key_country[t.from], to_country = key_country[t.to];
        const uint32_t from = from_country == kUnknownAccount ? kUnknownAccount : t.from;
        const uint32_t to = to_country == kUnknownAccount ? kUnknownAccount : t.to;
        const Reason reason = static_reason(from, to, amount_of(t, wide), from_country, to_country);
        if (t.wide()) {
            const auto at = std::lower_bound(wide.begin(), wide.end(), t.position(),
                                             [](const WideAmount& w, uint64_t position) { return w.position < position; });
            at->reason = reason;
        }
        if (reason != Reason::none) {
            reject(t, reason, rejections, totals);
            continue;
        }
        t.order.set_reason(reason);
        transfers[kept++] = t;
        ++kept_per_country[from_country];
    }
    transfers.resize(kept);
    drop_rejected_wide_amounts(wide);
}

}  // namespace ledger
