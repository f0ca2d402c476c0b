#include "ledger/fast_row.hpp"

#include <cstring>

#include "ledger/decimal.hpp"
#include "ledger/instant.hpp"
#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"

namespace ledger {
namespace {

constexpr size_t kFields = 4;

const AccountTable kNoAccounts;  // what an interning reader's accounts_ refers to; never read

inline bool two_digits(const char* p, int* out) {
    const unsigned a = unsigned(p[0] - '0'), b = unsigned(p[1] - '0');
    if (a > 9 || b > 9) return false;
    *out = int(a * 10 + b);
    return true;
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

FastRowReader::FastRowReader(const HeaderMap& header, IdDictionary& ids, std::vector<Transfer>& out,
                             std::vector<WideAmount>& wide)
    : date_field_(header.column[0]),
      from_field_(header.column[1]),
      amount_field_(header.column[2]),
      to_field_(header.column[3]),
      usable_(header.field_count == kFields),
      accounts_(kNoAccounts),
      interned_(&ids),
      out_(out),
      wide_(wide) {}

// The layouts a bank exports, read at fixed places: YYYY-MM-DD, then T, t or a space, then HH:MM:SS, then
// optionally a fraction of one to nine digits, then optionally Z, z or an offset +HH:MM / -HH:MM. Each
// check is one the general parser makes, so a field this reads gets the same instant there; anything
// else (no seconds, a date alone, a value out of range) is left to the general parser, which words the
// error. The day is cached: a day's transfers share their date.
bool FastRowReader::read_date(std::string_view field, Instant& instant) {
    const size_t size = field.size();
    if (size < 19) return false;
    const char* p = field.data();
    if ((p[10] != 'T' && p[10] != 't' && p[10] != ' ') || p[13] != ':' || p[16] != ':') return false;
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
    int64_t seconds = day_seconds_ + hour * 3600 + minute * 60 + second;
    int32_t nanos = 0;
    size_t i = 19;
    if (i < size && p[i] == '.') {
        static constexpr int32_t kScale[10] = {0, 100'000'000, 10'000'000, 1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
        const size_t first = ++i;
        for (; i < size && i - first < 9 && unsigned(p[i] - '0') <= 9; ++i) nanos = nanos * 10 + (p[i] - '0');
        if (i == first) return false;  // a tenth digit is left where the zone is looked for, and declined there
        nanos *= kScale[i - first];
    }
    if (i < size) {
        const char zone = p[i];
        if ((zone == 'Z' || zone == 'z') && i + 1 == size) {
            // UTC
        } else if ((zone == '+' || zone == '-') && i + 6 == size && p[i + 3] == ':') {
            int offset_hours, offset_minutes;
            if (!two_digits(p + i + 1, &offset_hours) || !two_digits(p + i + 4, &offset_minutes) ||
                offset_hours > 23 || offset_minutes > 59)
                return false;
            const int offset = offset_hours * 3600 + offset_minutes * 60;
            seconds += zone == '+' ? -offset : offset;  // local time minus its offset is UTC
        } else {
            return false;
        }
    }
    instant = Instant{seconds, nanos};
    return true;
}

size_t FastRowReader::append(std::string_view text, size_t pos, uint64_t position) {
    if (!usable_) return 0;
    std::string_view fields[kFields];
    const size_t after = split_plain_row(text, pos, fields, kFields);
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
    auto amount = parse_short_decimal(fields[amount_field_]);
    if (!amount) {
        amount = parse_decimal(fields[amount_field_], &error_);
        if (!amount) return 0;
    }
    if (amount->scale > max_fraction_digits_) return 0;
    Transfer t;
    t.order = OrderKey::make(instant, position, amount->scale, Reason::none);
    t.amount = fits_in_record(amount->units) ? int64_t(amount->units) : kWideAmount;  // see resolve()

    // The account slots are prefetched now and read kWindow rows later (see the header).
    Pending ids{out_.size(), {}, {}, amount->units};
    if (interned_) {
        ids.from = PendingId{nullptr, from_id, interned_->locate(from_id)};
        ids.to = PendingId{nullptr, to_id, interned_->locate(to_id)};
        interned_->prefetch(ids.from.hash);
        interned_->prefetch(ids.to.hash);
    } else if (!accounts_.slot_by_number.empty()) {
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
    if (interned_ || !accounts_.slot_by_number.empty()) return;
    for (const PendingId* id : {&ids.from, &ids.to}) {
        if (id->text.size() <= AccountTable::kInlineIdBytes) continue;
        const AccountTable::HashedSlot* entry = accounts_.hashed_address(id->hash);
        if (entry->hash == id->hash && entry->slot.index != AccountTable::kNoAccount)
            __builtin_prefetch(&accounts_.ids[entry->slot.index]);
    }
}

AccountTable::Slot FastRowReader::slot_of(const PendingId& id) const {
    // An interned id is every key's own "account" in one country: its reason is provisional (see
    // read_transfer_rows) and only a non-positive amount or the same id twice can show yet.
    if (interned_) return AccountTable::Slot{interned_->intern(id.text, id.hash), 0};
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
