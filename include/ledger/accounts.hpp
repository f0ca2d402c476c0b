// The accounts file, parsed into columns. Account and country strings are opaque and compared exactly;
// every rank that parses the same file gets the same indices, which is what lets ranks exchange indices
// instead of strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/bad_rows.hpp"
#include "ledger/csv.hpp"
#include "ledger/decimal.hpp"

namespace ledger {

inline constexpr size_t kMaxIdBytes = 64;

struct AccountTable {
    std::vector<std::string> ids;         // in accounts-file order
    std::vector<uint32_t> country;        // per account: index into `countries`
    // Per account, the opening balance at its own scale, as two columns: 17 bytes an account where a
    // Decimal takes 32 with its padding, and rescale_opening turns the units into the run's scale where
    // they lie instead of into a second vector (M: 31 MB less fresh memory on every rank).
    std::vector<int128> opening_units;
    std::vector<uint8_t> opening_scale;
    // Only until rescale_opening, which takes the units and drops the scales.
    Decimal opening(size_t account) const { return Decimal{opening_units[account], opening_scale[account]}; }
    std::vector<uint64_t> line;           // per account: line in the accounts file
    std::vector<std::string> countries;   // names, in order of first appearance
    int max_scale = 0;                    // largest scale among the good rows
    std::unordered_map<std::string, uint32_t> country_by_name;

    std::optional<uint32_t> find(std::string_view id) const;
    // Appends a good row's account (not yet indexed: see build_number_index and build_hash_index).
    void add(std::string_view id, std::string_view country_name, const Decimal& balance, uint64_t row_line);
    size_t size() const { return ids.size(); }

    // An account and its country, side by side so that a lookup costs one cache miss. A slot with index
    // kNoAccount (= kUnknownAccount) is empty.
    struct Slot {
        uint32_t index;
        uint32_t country;
    };
    static constexpr uint32_t kNoAccount = 0xFFFFFFFFu;

    // Two indexes; read_accounts builds one. Both can be probed in two halves, so that a reader of many
    // ids prefetches the slot first and reads it later (fast_row.hpp).
    //
    // By number, when every id is a canonical decimal integer (no sign, no leading zero) and the ids are
    // dense: slot_by_number[id - number_base]. A string that is not canonical cannot equal any id then.
    std::vector<Slot> slot_by_number;
    uint64_t number_base = 0;
    // Where the slot of a canonical id's value lies, or nullptr when it is outside the table.
    const Slot* slot_address(uint64_t number) const {
        if (number < number_base || number - number_base >= slot_by_number.size()) return nullptr;
        return &slot_by_number[number - number_base];
    }

    // By hash, for any other ids: open addressing with linear probing in a power-of-two table at most
    // half full. Each entry keeps the id's hash (its top byte replaced by the id's length), and an id of
    // at most kInlineIdBytes bytes is kept in the entry itself, zero-padded: such an id is then found
    // with the one cache line its slot sits on, and equal hashes, lengths and padded bytes mean equal
    // ids. Longer ids are compared through `ids`, a second cache miss per lookup.
    // Hand-written rather than std::unordered_map (a node per id: two dependent misses before the
    // compare, and nothing to prefetch); Debian 12 has no flat map among this project's dependencies.
    static constexpr size_t kInlineIdBytes = 16;
    struct alignas(32) HashedSlot {  // two to a cache line, never across one
        uint64_t hash;
        Slot slot;
        char inline_id[kInlineIdBytes];
    };
    std::vector<HashedSlot> slot_by_hash;
    // The hash a HashedSlot keeps: the low 56 bits of the id's hash, and its length above them.
    static uint64_t hash_id(std::string_view id);
    const HashedSlot* hashed_address(uint64_t hash) const { return &slot_by_hash[hash & (slot_by_hash.size() - 1)]; }
    // The slot of `id` (whose hash_id is `hash`), or an empty slot when no account has it.
    Slot find_hashed(std::string_view id, uint64_t hash) const;

    // Build one of the two indexes; a duplicate id is a LedgerError(bad_input) naming both lines of
    // `file_name`, the earliest repeat in file order. build_number_index returns false (and builds
    // nothing) when the ids are not all canonical integers or not dense.
    bool build_number_index(const std::string& file_name);
    void build_hash_index(const std::string& file_name);
};

// The value of a canonical decimal integer id ("0", "42", not "042", "+4" or "4.0") below 10^18.
// Inline: the fast row reader calls it for every id of every row.
inline std::optional<uint64_t> canonical_number(std::string_view id) {
    if (id.empty() || id.size() > 18 || (id[0] == '0' && id.size() > 1)) return std::nullopt;
    uint64_t value = 0;
    for (const char c : id) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + uint64_t(c - '0');
    }
    return value;
}

// The header of an accounts file; sets *rows_start to the byte where its data rows begin and *rows_line
// to that byte's line.
HeaderMap read_account_header(std::string_view text, const std::string& file_name, uint64_t* rows_start,
                              uint64_t* rows_line);

// A line-aligned part of an accounts file: the rows that start in [begin, stop_at) of `text` (the whole
// file), the first on line first_line.
struct AccountPart {
    std::string_view text;
    std::string file_name;
    HeaderMap header;
    uint64_t begin = 0, stop_at = UINT64_MAX;
    uint64_t first_line = 1;
    bool fast_rows = true;
};
// Where a part's rows were found: a part's first row must be where the previous part stopped.
struct AccountRowsRead {
    uint64_t first_row_offset = UINT64_MAX;  // none read
    uint64_t next_row_offset = UINT64_MAX;   // first row at or after stop_at (UINT64_MAX: end of file)
};
// Appends the rows of one part to `table`, which is not indexed and not checked for duplicates (the caller
// does that, for the part alone or across parts). Bad rows go to `bad` (file index 0); under the fail
// policy the first one throws, and `table` then holds the rows before it.
AccountRowsRead read_account_rows(const AccountPart& part, BadRowSink& bad, AccountTable& table);

// Parses a whole accounts file. Bad rows go to `bad` (file index 0); a duplicate account number is an
// input error naming both lines, whatever the bad-row policy. Plain rows are split without the general
// CSV reader; fast_rows = false sends every row through it (the tests compare the two).
AccountTable read_accounts(std::string_view text, const std::string& file_name, BadRowSink& bad,
                           bool fast_rows = true);

// Checks an account or country field: non-empty, at most kMaxIdBytes, no NUL. Returns the error or "".
std::string_view check_id(std::string_view value);

}  // namespace ledger
