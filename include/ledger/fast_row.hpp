// The fast path of the transactions reader. Almost every row a bank exports looks the same: four
// unquoted fields, a date in a fixed layout (to the second, perhaps with a fraction and an offset), a
// plain decimal amount and two ids. This reader splits such a row in one pass without allocating and
// reads the common date and amount layouts directly (other layouts go to the general parser of that
// field). It declines a row that needs the CSV reader's rules (quotes, CR, NUL, blanks around a field, a
// missing line feed) or has a value the general parsers reject, and the caller then reads that row with
// the general CSV reader, which words the error. A row it accepts gives the record the general path would
// give; tests/unit/test_fast_row.cpp compares the two on generated and mutated rows.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/csv.hpp"
#include "ledger/id_dictionary.hpp"
#include "ledger/instant.hpp"
#include "ledger/plain_row.hpp"
#include "ledger/records.hpp"

namespace ledger {

class FastRowReader {
public:
    FastRowReader(const HeaderMap& header, const AccountTable& accounts, std::vector<Transfer>& out,
                  std::vector<WideAmount>& wide);
    // Names accounts by keys interned in `ids` instead (see read_transfer_rows).
    FastRowReader(const HeaderMap& header, IdDictionary& ids, std::vector<Transfer>& out,
                  std::vector<WideAmount>& wide);
    FastRowReader(const FastRowReader&) = delete;
    FastRowReader& operator=(const FastRowReader&) = delete;
    ~FastRowReader() { finish(); }

    // Appends the row that starts at text[pos], with input position `position`, to `out` and returns the
    // position just past its line feed; returns 0 and appends nothing when the row must go the general
    // way. Its accounts and reason, and its amount in `wide` if the record cannot hold it, may be filled
    // in a few rows later (so `wide` is not in position order): call finish() before reading either.
    size_t append(std::string_view text, size_t pos, uint64_t position);

    // Fills in every record still waiting for its accounts.
    void finish();

    // Declines a row whose amount has more fraction digits (--fixed-scale), for the general path to reject.
    void set_max_fraction_digits(int digits) { max_fraction_digits_ = digits; }

private:
    bool read_date(std::string_view field, Instant& instant);

    int date_field_, from_field_, amount_field_, to_field_;
    bool usable_;
    int max_fraction_digits_ = kMaxScale;
    const AccountTable& accounts_;
    IdDictionary* interned_ = nullptr;  // when set, ids are interned here rather than looked up
    std::vector<Transfer>& out_;
    std::vector<WideAmount>& wide_;
    // The day of the previous row: a day's transfers share their date, so most rows skip the calendar.
    char day_text_[10] = {};
    std::string error_;  // the general field parsers' message, unused: a declined row is read again
    int64_t day_seconds_ = 0;

    // The account slots of the last few rows are prefetched and read only kWindow rows later. The
    // account index is large and the text streams through the cache, so an immediate lookup would stall
    // on memory once or twice per row; this way the loads overlap with parsing. Ids found by hash take a
    // second step halfway, fetching the id string the slot names, which the final compare reads.
    static constexpr size_t kWindow = 16;
    struct PendingId {
        const AccountTable::Slot* number_slot;  // by number: the slot (nullptr: no such account)
        std::string_view text;                  // by hash: the id, and its hash (interned: its locator)
        uint64_t hash;
    };
    struct Pending {
        size_t record;
        PendingId from, to;
        int128 wide_units;  // the amount, when the record cannot hold it
    };
    AccountTable::Slot slot_of(const PendingId& id) const;
    void warm(const Pending& ids) const;
    void resolve(const Pending& ids);
    std::array<Pending, kWindow> pending_{};
    size_t pending_count_ = 0, pending_head_ = 0;
};

}  // namespace ledger
