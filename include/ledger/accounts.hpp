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
#include "ledger/decimal.hpp"

namespace ledger {

inline constexpr size_t kMaxIdBytes = 64;

struct AccountTable {
    // Not copyable: `by_id` holds views into `ids`, which a move keeps valid and a copy would not.
    AccountTable() = default;
    AccountTable(AccountTable&&) = default;
    AccountTable& operator=(AccountTable&&) = default;
    AccountTable(const AccountTable&) = delete;
    AccountTable& operator=(const AccountTable&) = delete;

    std::vector<std::string> ids;         // in accounts-file order
    std::vector<uint32_t> country;        // per account: index into `countries`
    std::vector<Decimal> opening;         // per account, at its own scale
    std::vector<uint64_t> line;           // per account: line in the accounts file
    std::vector<std::string> countries;   // names, in order of first appearance
    int max_scale = 0;                    // largest scale among the good rows

    std::optional<uint32_t> find(std::string_view id) const;
    size_t size() const { return ids.size(); }

    // The general index, built only when the numeric one below cannot be (views into `ids`).
    std::unordered_map<std::string_view, uint32_t> by_id;
    std::unordered_map<std::string, uint32_t> country_by_name;

    // Fast path, used when every id is a canonical decimal integer (no sign, no leading zero) and the
    // ids are dense: slot_by_number[id - number_base] is the account and its country (index
    // kUnknownAccount for a gap). A string that is not canonical cannot equal any id then, so the answers
    // are those of `by_id`. Index and country share a slot so that a lookup costs one cache miss.
    struct Slot {
        uint32_t index;
        uint32_t country;
    };
    static constexpr uint32_t kNoAccount = 0xFFFFFFFFu;
    std::vector<Slot> slot_by_number;
    uint64_t number_base = 0;

    // Build one of the two indexes; a duplicate id is a LedgerError(bad_input) naming both lines of
    // `file_name`, the earliest repeat in file order. build_number_index returns false (and builds
    // nothing) when the ids are not all canonical integers or not dense.
    bool build_number_index(const std::string& file_name);
    void build_id_map(const std::string& file_name);
    // Where the slot of a canonical id's value lies, or nullptr when it is outside the table. The slot is
    // not read here, so a caller can prefetch it; a gap's slot has index kNoAccount (= kUnknownAccount).
    const Slot* slot_address(uint64_t number) const {
        if (number < number_base || number - number_base >= slot_by_number.size()) return nullptr;
        return &slot_by_number[number - number_base];
    }
};

// The value of a canonical decimal integer id ("0", "42", not "042", "+4" or "4.0") below 10^18.
std::optional<uint64_t> canonical_number(std::string_view id);

// Parses a whole accounts file. Bad rows go to `bad` (file index 0); a duplicate account number is an
// input error naming both lines, whatever the bad-row policy.
AccountTable read_accounts(std::string_view text, const std::string& file_name, BadRowSink& bad);

// Checks an account or country field: non-empty, at most kMaxIdBytes, no NUL. Returns the error or "".
std::string_view check_id(std::string_view value);

}  // namespace ledger
