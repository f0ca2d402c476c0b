// The compact records that flow through the job. They are trivially copyable on purpose: the MPI layer
// moves them between ranks as raw bytes in a few large messages.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "ledger/decimal.hpp"
#include "ledger/instant.hpp"

namespace ledger {

// Rejection reasons, in the order the spec checks them. `none` means accepted (so far).
enum class Reason : uint8_t {
    none = 0,
    unknown_account,
    invalid_amount,
    same_account,
    cross_country,
    insufficient_funds,
};
inline constexpr int kReasonCount = 6;
std::string_view reason_name(Reason reason);

// Input order of a row: which transactions file (in the order given), then where in it. Ordering by
// position is exactly "file order, then line order".
inline constexpr int kOffsetBits = 48;
inline constexpr uint64_t make_position(uint32_t file_index, uint64_t byte_offset) {
    return (uint64_t{file_index} << kOffsetBits) | byte_offset;
}
inline constexpr uint32_t position_file(uint64_t position) { return uint32_t(position >> kOffsetBits); }
inline constexpr uint64_t position_offset(uint64_t position) {
    return position & ((uint64_t{1} << kOffsetBits) - 1);
}

inline constexpr uint32_t kUnknownAccount = 0xFFFFFFFFu;

struct Transfer {
    int128 amount;           // units; at `amount_scale` until rescaled to the run's scale
    int64_t seconds;         // instant, UTC
    uint64_t position;       // input order, see make_position
    int32_t nanos;
    uint32_t from;           // account index, or kUnknownAccount
    uint32_t to;
    uint8_t amount_scale;
    Reason reason;           // a rejection found without replaying (all but insufficient_funds)

    Instant instant() const { return Instant{seconds, nanos}; }
};
static_assert(std::is_trivially_copyable_v<Transfer>);

// Replay order: ascending instant, then input order.
inline bool replay_before(const Transfer& a, const Transfer& b) {
    if (a.seconds != b.seconds) return a.seconds < b.seconds;
    if (a.nanos != b.nanos) return a.nanos < b.nanos;
    return a.position < b.position;
}

struct Rejection {
    int64_t seconds;
    uint64_t position;
    int32_t nanos;
    Reason reason;
};
static_assert(std::is_trivially_copyable_v<Rejection>);

inline bool replay_before(const Rejection& a, const Rejection& b) {
    if (a.seconds != b.seconds) return a.seconds < b.seconds;
    if (a.nanos != b.nanos) return a.nanos < b.nanos;
    return a.position < b.position;
}

inline Rejection rejection_of(const Transfer& t, Reason reason) {
    return Rejection{t.seconds, t.position, t.nanos, reason};
}

}  // namespace ledger
