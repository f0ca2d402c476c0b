#include "ledger/fast_row.hpp"

#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ledger/decimal.hpp"
#include "ledger/instant.hpp"
#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"

namespace ledger {
namespace {

constexpr size_t kFields = 4;
static_assert(kMaxFastRowBytes % 64 == 0, "split_row reads whole 64-byte blocks up to the limit");

// Bytes that need the general reader's rules when they appear in a row: quoting, CR handling and the
// NUL check. Spaces and tabs are fine inside a field but not at its ends, where the reader trims them.
constexpr bool needs_general_reader(unsigned char c) { return c == '"' || c == '\r' || c == '\0'; }
constexpr bool is_blank(char c) { return c == ' ' || c == '\t'; }

#if defined(__SSE2__)
// Bit i of each mask stands for byte i of a 64-byte block: a row of the usual width is split with a
// handful of vector compares instead of a compare and a branch per byte.
struct BlockMasks {
    uint64_t commas, line_feeds, general;  // general: bytes that need the general reader
};

inline uint64_t mask_of(__m128i bytes, char c) {
    return unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(c))));
}

inline BlockMasks block_masks(const char* p) {
    BlockMasks m{0, 0, 0};
    for (int k = 0; k < 4; ++k) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        m.commas |= mask_of(bytes, ',') << (16 * k);
        m.line_feeds |= mask_of(bytes, '\n') << (16 * k);
        m.general |= (mask_of(bytes, '"') | mask_of(bytes, '\r') | mask_of(bytes, '\0')) << (16 * k);
    }
    return m;
}
#endif

inline bool two_digits(const char* p, int* out) {
    const unsigned a = unsigned(p[0] - '0'), b = unsigned(p[1] - '0');
    if (a > 9 || b > 9) return false;
    *out = int(a * 10 + b);
    return true;
}

// A plain non-negative decimal with at most 18 digits in all, so that it fits in 64 bits.
bool read_plain_amount(std::string_view field, Decimal& amount) {
    if (field.empty() || field.size() > 19) return false;
    uint64_t units = 0;
    int digits = 0, scale = -1;
    for (const char c : field) {
        if (c == '.') {
            if (scale >= 0 || digits == 0) return false;
            scale = 0;
            continue;
        }
        const unsigned d = unsigned(c - '0');
        if (d > 9) return false;
        units = units * 10 + d;
        ++digits;
        if (scale >= 0) ++scale;
    }
    if (digits > 18 || scale == 0) return false;
    amount = Decimal{int128(units), scale < 0 ? 0 : scale};
    return true;
}

// Splits the row at text[pos] into its fields and returns the position past its line feed, or 0 when the
// row needs the general reader (see needs_general_reader), has an empty field, a blank at a field's end,
// other than kFields fields, or no line feed within kMaxFastRowBytes.
size_t split_row(std::string_view text, size_t pos, std::string_view (&fields)[kFields]) {
    size_t field = 0, start = pos;
    const auto close_field = [&](size_t end) {
        if (field == kFields || end == start) return false;
        if (is_blank(text[start]) || is_blank(text[end - 1])) return false;
        fields[field++] = text.substr(start, end - start);
        start = end + 1;
        return true;
    };
    const size_t limit = std::min(text.size(), pos + kMaxFastRowBytes);
    size_t i = pos;
#if defined(__SSE2__)
    // Whole blocks while the text has them (kMaxFastRowBytes is a multiple of 64, so they end at the limit).
    for (; i + 64 <= text.size() && i < limit; i += 64) {
        const BlockMasks m = block_masks(text.data() + i);
        const uint64_t before_line_feed = m.line_feeds ? (m.line_feeds & (~m.line_feeds + 1)) - 1 : ~uint64_t{0};
        if (m.general & before_line_feed) return 0;
        for (uint64_t commas = m.commas & before_line_feed; commas != 0; commas &= commas - 1)
            if (!close_field(i + size_t(__builtin_ctzll(commas)))) return 0;
        if (m.line_feeds) {
            const size_t end = i + size_t(__builtin_ctzll(m.line_feeds));
            return close_field(end) && field == kFields ? end + 1 : 0;
        }
    }
#endif
    // Byte by byte near the end of the text, where a block would read past it.
    for (;; ++i) {
        if (i >= limit) return 0;  // no line feed in reach: a long row or the last row of the text
        const char c = text[i];
        if (c == ',' || c == '\n') {
            if (!close_field(i)) return 0;
            if (c == '\n') break;
        } else if (needs_general_reader(static_cast<unsigned char>(c))) {
            return 0;
        }
    }
    return field == kFields ? i + 1 : 0;
}

}  // namespace

FastRowReader::FastRowReader(const HeaderMap& header, const AccountTable& accounts, std::vector<Transfer>& out,
                             std::vector<WideAmount>& wide)
    : date_field_(header.column[0]),
      from_field_(header.column[1]),
      amount_field_(header.column[2]),
      to_field_(header.column[3]),
      // An account table that was never indexed (read_accounts always indexes one) has nothing to probe.
      usable_(header.field_count == kFields && !(accounts.slot_by_number.empty() && accounts.slot_by_hash.empty())),
      accounts_(accounts),
      out_(out),
      wide_(wide) {}

// YYYY-MM-DDTHH:MM:SS with an optional Z: the layout the general parser reads the same way.
bool FastRowReader::read_date(std::string_view field, Instant& instant) {
    if (field.size() != 19 && !(field.size() == 20 && field[19] == 'Z')) return false;
    const char* p = field.data();
    if (p[10] != 'T' || p[13] != ':' || p[16] != ':') return false;
    if (std::memcmp(p, day_text_, sizeof day_text_) != 0) {
        int y1, y2, month, day;
        if (!two_digits(p, &y1) || !two_digits(p + 2, &y2) || p[4] != '-' || !two_digits(p + 5, &month) ||
            p[7] != '-' || !two_digits(p + 8, &day))
            return false;
        const int year = y1 * 100 + y2;
        if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
        std::memcpy(day_text_, p, sizeof day_text_);
        day_seconds_ = days_from_civil(year, unsigned(month), unsigned(day)) * 86400;
    }
    int hour, minute, second;
    if (!two_digits(p + 11, &hour) || !two_digits(p + 14, &minute) || !two_digits(p + 17, &second)) return false;
    if (hour > 23 || minute > 59 || second > 59) return false;
    instant = Instant{day_seconds_ + hour * 3600 + minute * 60 + second, 0};
    return true;
}

size_t FastRowReader::append(std::string_view text, size_t pos, uint64_t position) {
    if (!usable_) return 0;
    std::string_view fields[kFields];
    const size_t after = split_row(text, pos, fields);
    if (after == 0) return 0;

    const std::string_view from_id = fields[from_field_], to_id = fields[to_field_];
    if (from_id.size() > kMaxIdBytes || to_id.size() > kMaxIdBytes) return 0;
    // A date or amount in another form goes to the general parser of that field alone; a value it rejects
    // sends the whole row the general way, which words the error.
    Instant instant;
    if (!read_date(fields[date_field_], instant)) {
        const auto parsed = parse_instant(fields[date_field_], &error_);
        if (!parsed) return 0;
        instant = *parsed;
    }
    Decimal amount;
    if (!read_plain_amount(fields[amount_field_], amount)) {
        const auto parsed = parse_decimal(fields[amount_field_], &error_);
        if (!parsed) return 0;
        amount = *parsed;
    }
    Transfer t;
    t.order = OrderKey::make(instant, position, amount.scale, Reason::none);
    t.amount = fits_in_record(amount.units) ? int64_t(amount.units) : kWideAmount;  // see resolve()

    // The account slots are prefetched now and read kWindow rows later (see the header).
    Pending ids{out_.size(), {}, {}, amount.units};
    if (!accounts_.slot_by_number.empty()) {
        // A text that is not a canonical integer is no account's id when the ids are numbered.
        const auto from_number = canonical_number(from_id), to_number = canonical_number(to_id);
        ids.from.number_slot = from_number ? accounts_.slot_address(*from_number) : nullptr;
        ids.to.number_slot = to_number ? accounts_.slot_address(*to_number) : nullptr;
        __builtin_prefetch(ids.from.number_slot);
        __builtin_prefetch(ids.to.number_slot);
    } else {
        ids.from = PendingId{nullptr, from_id, AccountTable::hash_id(from_id)};
        ids.to = PendingId{nullptr, to_id, AccountTable::hash_id(to_id)};
        __builtin_prefetch(accounts_.hashed_address(ids.from.hash));
        __builtin_prefetch(accounts_.hashed_address(ids.to.hash));
    }
    if (pending_count_ == kWindow) {
        resolve(pending_[pending_head_]);
        pending_head_ = (pending_head_ + 1) % kWindow;
        --pending_count_;
    }
    out_.push_back(t);
    pending_[(pending_head_ + pending_count_) % kWindow] = ids;
    ++pending_count_;
    if (pending_count_ > kWindow / 2) warm(pending_[(pending_head_ + pending_count_ - 1 - kWindow / 2) % kWindow]);
    return after;
}

// Halfway through the window the hashed slot has arrived; the id it names is fetched for the compare,
// unless the slot holds the id itself.
void FastRowReader::warm(const Pending& ids) const {
    if (!accounts_.slot_by_number.empty()) return;
    for (const PendingId* id : {&ids.from, &ids.to}) {
        if (id->text.size() <= AccountTable::kInlineIdBytes) continue;
        const AccountTable::HashedSlot* entry = accounts_.hashed_address(id->hash);
        if (entry->hash == id->hash && entry->slot.index != AccountTable::kNoAccount)
            __builtin_prefetch(&accounts_.ids[entry->slot.index]);
    }
}

AccountTable::Slot FastRowReader::slot_of(const PendingId& id) const {
    if (!accounts_.slot_by_number.empty())
        return id.number_slot ? *id.number_slot : AccountTable::Slot{AccountTable::kNoAccount, 0};
    return accounts_.find_hashed(id.text, id.hash);
}

void FastRowReader::resolve(const Pending& ids) {
    Transfer& t = out_[ids.record];
    const AccountTable::Slot from = slot_of(ids.from), to = slot_of(ids.to);
    t.from = from.index;  // kNoAccount is kUnknownAccount
    t.to = to.index;
    const int128 amount = t.wide() ? ids.wide_units : int128(t.amount);
    t.order.set_reason(static_reason(t.from, t.to, amount, from.country, to.country));
    if (t.wide()) store_amount(t, amount, wide_);  // now that its sender and reason are known
}

void FastRowReader::finish() {
    for (; pending_count_ > 0; --pending_count_) {
        resolve(pending_[pending_head_]);
        pending_head_ = (pending_head_ + 1) % kWindow;
    }
}

}  // namespace ledger
