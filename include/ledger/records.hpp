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
// position is exactly "file order, then line order". Positions fit in kPositionBits so that a record's
// whole replay order packs into 128 bits (see OrderKey); the limits are checked when the files are opened.
inline constexpr int kOffsetBits = 40;    // a transactions file holds less than 1 TiB
inline constexpr int kFileIndexBits = 11;  // at most 2048 transactions files
inline constexpr int kPositionBits = kOffsetBits + kFileIndexBits;
inline constexpr uint32_t kMaxTransactionFiles = uint32_t{1} << kFileIndexBits;
inline constexpr uint64_t kMaxTransactionFileBytes = uint64_t{1} << kOffsetBits;
inline constexpr uint64_t make_position(uint32_t file_index, uint64_t byte_offset) {
    return (uint64_t{file_index} << kOffsetBits) | byte_offset;
}
inline constexpr uint32_t position_file(uint64_t position) { return uint32_t(position >> kOffsetBits); }
inline constexpr uint64_t position_offset(uint64_t position) {
    return position & ((uint64_t{1} << kOffsetBits) - 1);
}

inline constexpr uint32_t kUnknownAccount = 0xFFFFFFFFu;

// A record's replay order and two small fields, packed into one unsigned 128-bit number held as two
// words (so that records need no 16-byte alignment). From the most significant bit down:
//   69 bits  the instant, in nanoseconds since kOrderEpochSeconds (years 0000-9999 with any offset)
//   51 bits  the input position (make_position)
//    5 bits  the amount's scale (0-18; transfers only)
//    3 bits  the rejection reason
// Comparing keys as numbers therefore compares instants, then input positions; the bits below the
// position never decide, because no two rows share a position. With the amount in 64 bits (see
// Transfer), a record is 32 bytes instead of 48: a day's records are most of the job's memory and their
// first write much of its parse time (fresh pages).
struct OrderKey {
    uint64_t high, low;

    // One day before 0000-01-01T00:00:00Z: an offset can move a year-0000 date back by up to 23:59.
    static constexpr int64_t kOrderEpochSeconds = -62167219200 - 86400;
    // The high word holds the instant's upper 64 bits; the low word starts with its last five.
    static constexpr int kInstantLowBits = 5;
    static constexpr int kScaleShift = 3, kPositionShift = 8, kInstantShift = 64 - kInstantLowBits;

    static OrderKey make(Instant instant, uint64_t position, int scale, Reason reason) {
        const uint128 nanos = uint128(uint64_t(instant.seconds - kOrderEpochSeconds)) * 1'000'000'000u +
                              uint64_t(instant.nanos);
        return OrderKey{uint64_t(nanos >> kInstantLowBits),
                        (uint64_t(nanos) << kInstantShift) | (position << kPositionShift) |
                            (uint64_t(scale) << kScaleShift) | uint64_t(reason)};
    }
    Instant instant() const {
        const uint128 nanos = instant_nanos();
        return Instant{int64_t(uint64_t(nanos / 1'000'000'000u)) + kOrderEpochSeconds,
                       int32_t(uint64_t(nanos % 1'000'000'000u))};
    }
    // The instant bits alone, ordered as the instants are.
    uint128 instant_nanos() const { return (uint128(high) << kInstantLowBits) | (low >> kInstantShift); }
    uint64_t position() const { return (low >> kPositionShift) & ((uint64_t{1} << kPositionBits) - 1); }
    int scale() const { return int((low >> kScaleShift) & 31); }
    Reason reason() const { return Reason(low & 7); }
    void set_scale(int scale) { low = (low & ~(uint64_t{31} << kScaleShift)) | (uint64_t(scale) << kScaleShift); }
    void set_reason(Reason reason) { low = (low & ~uint64_t{7}) | uint64_t(reason); }

    // As one 128-bit number: a compare and a subtract with borrow, no branch, which the sort's
    // branchless partitioning needs to pay off.
    friend bool operator<(const OrderKey& a, const OrderKey& b) {
        return (uint128(a.high) << 64 | a.low) < (uint128(b.high) << 64 | b.low);
    }
};
static_assert(64 + OrderKey::kInstantLowBits == 69 && OrderKey::kPositionShift + kPositionBits == OrderKey::kInstantShift);
// The latest instant, 10000-01-01 plus a day, is 3'652'427 days after the order epoch; it needs 69 bits.
static_assert(uint128{3'652'427} * 86'400 * 1'000'000'000 < uint128{1} << 69);
static_assert(kReasonCount <= 8);

// Nearly every amount fits in 63 bits (every amount of up to 18 digits does), and those are kept in the
// record. A wider one is marked kWideAmount there and kept in a WideAmount beside the records, so that
// every record is 32 bytes and none loses a bit of its amount. A rank's wide amounts are sorted by
// position and found by it (wide_amounts.hpp); wherever records go, their wide amounts go too.
inline constexpr int64_t kWideAmount = INT64_MIN;
inline constexpr bool fits_in_record(int128 units) { return units > kWideAmount && units <= INT64_MAX; }

struct Transfer {
    OrderKey order;  // instant, position, amount scale and the static rejection reason
    int64_t amount;  // units at order.scale() (until rescaled to the run's scale), or kWideAmount
    uint32_t from;   // account index, or kUnknownAccount
    uint32_t to;

    bool wide() const { return amount == kWideAmount; }
    Instant instant() const { return order.instant(); }
    uint64_t position() const { return order.position(); }
    int amount_scale() const { return order.scale(); }
    Reason reason() const { return order.reason(); }
};
static_assert(std::is_trivially_copyable_v<Transfer> && std::is_trivially_default_constructible_v<Transfer>);
static_assert(sizeof(Transfer) == 32);

// The amount of a wide transfer, with what the ingest needs without finding its record: the scale, to
// rescale it; the sender, whose country decides the rank that replays the transfer; and the static reason,
// since a rejected transfer's amount is no longer needed once it has been rescaled (and checked).
struct WideAmount {
    int128 units;
    uint64_t position;
    uint32_t from;
    uint8_t scale;
    Reason reason;
};
static_assert(std::is_trivially_copyable_v<WideAmount>);

// Replay order: ascending instant, then input order.
inline bool replay_before(const Transfer& a, const Transfer& b) { return a.order < b.order; }

struct Rejection {
    OrderKey order;  // the reason is the rejection's

    Instant instant() const { return order.instant(); }
    uint64_t position() const { return order.position(); }
    Reason reason() const { return order.reason(); }
};
static_assert(std::is_trivially_copyable_v<Rejection>);

inline bool replay_before(const Rejection& a, const Rejection& b) { return a.order < b.order; }

inline Rejection rejection_of(const Transfer& t, Reason reason) {
    Rejection r{t.order};
    r.order.set_reason(reason);
    return r;
}

}  // namespace ledger
