#include "ledger/accounts.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/plain_row.hpp"
#include "ledger/prefault.hpp"
#include "ledger/transfers.hpp"

namespace ledger {

std::string_view check_id(std::string_view value) {
    if (value.empty()) return "empty";
    if (value.size() > kMaxIdBytes) return "longer than 64 bytes";
    if (std::memchr(value.data(), '\0', value.size())) return "contains a NUL byte";
    return "";
}

namespace {

[[noreturn]] void duplicate_account(const AccountTable& table, const std::string& file_name, uint32_t first,
                                    uint32_t again) {
    // Ordered by the repeat's line (the accounts file is input 0), so that ranks that each index some of
    // the accounts agree on the earliest repeat in file order.
    throw LedgerError(ExitCode::bad_input,
                      file_name + ":" + std::to_string(table.line[again]) + ": duplicate account '" +
                          excerpt(table.ids[again]) + "', first defined at line " + std::to_string(table.line[first]),
                      table.line[again]);
}

}  // namespace

bool AccountTable::build_number_index(const std::string& file_name) {
    slot_by_number.clear();
    if (ids.empty()) return false;
    uint64_t low = UINT64_MAX, high = 0;
    for (const std::string& id : ids) {
        const auto number = canonical_number(id);
        if (!number) return false;
        low = std::min(low, *number);
        high = std::max(high, *number);
    }
    // Dense enough that the table costs at most a few words per account.
    if (high - low >= 4 * uint64_t(ids.size()) + 1024) return false;
    number_base = low;
    assign_huge(slot_by_number, high - low + 1, Slot{kNoAccount, 0});  // read at random by every transfer
    for (uint32_t i = 0; i < ids.size(); ++i) {
        Slot& slot = slot_by_number[*canonical_number(ids[i]) - low];
        if (slot.index != kNoAccount) duplicate_account(*this, file_name, slot.index, i);
        slot = Slot{i, country[i]};
    }
    return true;
}

uint64_t AccountTable::hash_id(std::string_view id) {
    constexpr uint64_t kLow56 = (uint64_t{1} << 56) - 1;
    static_assert(kMaxIdBytes < 256, "an id's length must fit in the hash's top byte");
    // Longer ids than any account can have still get a tag no account has: they are simply not found.
    const uint64_t length = std::min<uint64_t>(id.size(), 255);
    return (std::hash<std::string_view>{}(id) & kLow56) | (length << 56);
}

namespace {

// The id zero-padded to kInlineIdBytes, as a HashedSlot keeps it; only for ids that short.
struct PaddedId {
    uint64_t words[2] = {0, 0};
    explicit PaddedId(std::string_view id) {
        if (!id.empty()) std::memcpy(words, id.data(), id.size());  // an empty view's data() may be null
    }
    bool equals(const char* inline_id) const {
        uint64_t stored[2];
        std::memcpy(stored, inline_id, sizeof stored);
        return stored[0] == words[0] && stored[1] == words[1];
    }
};
static_assert(sizeof(PaddedId) == AccountTable::kInlineIdBytes);

// Linear probing from the hash's home slot to the id's entry or the first empty slot (where a lookup
// ends, and where building inserts); `same_id` decides between entries of equal hash. Returns the entry's
// index. A template, so that each caller's compare is inlined into the loop.
template <class SameId>
size_t probe(const std::vector<AccountTable::HashedSlot>& table, uint64_t hash, SameId same_id) {
    const size_t mask = table.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const AccountTable::HashedSlot& entry = table[i];
        if (entry.slot.index == AccountTable::kNoAccount || (entry.hash == hash && same_id(entry))) return i;
    }
}

}  // namespace

AccountTable::Slot AccountTable::find_hashed(std::string_view id, uint64_t hash) const {
    if (id.size() <= kInlineIdBytes) {
        // The hash carries the length, so equal hashes and equal padded bytes are equal ids.
        const PaddedId padded(id);
        const size_t at = probe(slot_by_hash, hash, [&](const HashedSlot& e) { return padded.equals(e.inline_id); });
        return slot_by_hash[at].slot;
    }
    const size_t at = probe(slot_by_hash, hash, [&](const HashedSlot& e) { return ids[e.slot.index] == id; });
    return slot_by_hash[at].slot;
}

void AccountTable::build_hash_index(const std::string& file_name) {
    size_t capacity = 16;
    while (capacity < 2 * ids.size()) capacity *= 2;
    assign_huge(slot_by_hash, capacity, HashedSlot{0, Slot{kNoAccount, 0}, {}});  // read at random by every transfer
    for (uint32_t a = 0; a < ids.size(); ++a) {
        const uint64_t hash = hash_id(ids[a]);
        HashedSlot& entry =
            slot_by_hash[probe(slot_by_hash, hash, [&](const HashedSlot& e) { return ids[e.slot.index] == ids[a]; })];
        if (entry.slot.index != kNoAccount) duplicate_account(*this, file_name, entry.slot.index, a);
        entry = HashedSlot{hash, Slot{a, country[a]}, {}};
        if (ids[a].size() <= kInlineIdBytes) std::memcpy(entry.inline_id, ids[a].data(), ids[a].size());
    }
}

std::optional<uint32_t> AccountTable::find(std::string_view id) const {
    Slot slot{kNoAccount, 0};
    if (!slot_by_number.empty()) {
        const auto number = canonical_number(id);
        if (const Slot* at = number ? slot_address(*number) : nullptr) slot = *at;
    } else if (!slot_by_hash.empty()) {
        slot = find_hashed(id, hash_id(id));
    }
    if (slot.index == kNoAccount) return std::nullopt;
    return slot.index;
}

namespace {

// A good account row, added to the table; false (adding nothing) when a field is bad, which the caller
// then reads again the general way to word the error.
bool add_plain_account(AccountTable& table, std::string_view id, std::string_view country, std::string_view balance_text,
                       uint64_t line, std::string& error) {
    if (!check_id(id).empty() || !check_id(country).empty()) return false;
    const auto balance = parse_decimal(balance_text, &error);
    if (!balance) return false;
    table.add(id, country, *balance, line);
    return true;
}

}  // namespace

void AccountTable::add(std::string_view id, std::string_view country_name, const Decimal& balance, uint64_t row_line) {
    ids.emplace_back(id);
    line.push_back(row_line);
    opening_units.push_back(balance.units);
    opening_scale.push_back(uint8_t(balance.scale));  // 0..kMaxScale
    auto [country_it, is_new_country] = country_by_name.try_emplace(std::string(country_name), uint32_t(countries.size()));
    if (is_new_country) countries.emplace_back(country_name);
    country.push_back(country_it->second);
    if (balance.scale > max_scale) max_scale = balance.scale;
}

AccountRowsRead read_account_rows(const AccountPart& part, BadRowSink& bad, AccountTable& table) {
    const HeaderMap& header = part.header;
    const size_t id_col = size_t(header.column[0]), country_col = size_t(header.column[1]),
                 balance_col = size_t(header.column[2]);
    const bool fast_rows = part.fast_rows && header.field_count == std::size(kAccountColumns);
    const std::string_view text = part.text.substr(0, std::min<uint64_t>(part.text.size(), part.stop_at));
    const size_t max_rows = size_t(count_line_feeds(text.substr(std::min<uint64_t>(part.begin, text.size())))) + 1;
    reserve_huge(table.ids, max_rows);
    reserve_huge(table.line, max_rows);
    reserve_huge(table.opening_units, max_rows);
    reserve_huge(table.opening_scale, max_rows);
    reserve_huge(table.country, max_rows);
    // The general reader sees the whole rest of the file: a quoted field may run past stop_at, and the
    // row it belongs to is still this part's if it starts before stop_at.
    CsvReader reader(part.text, part.first_line, 0);
    CsvRow row;
    std::string error;
    size_t pos = size_t(part.begin);
    uint64_t line = part.first_line;
    AccountRowsRead read;
    auto note_row = [&](uint64_t offset) {
        if (read.first_row_offset == UINT64_MAX) read.first_row_offset = offset;
    };
    for (;;) {
        // Plain rows first (plain_row.hpp); the general reader takes every other row and words the errors.
        std::string_view fields[std::size(kAccountColumns)];
        if (fast_rows && pos < text.size())
            if (const size_t after = split_plain_row(text, pos, fields, std::size(kAccountColumns));
                after != 0 && add_plain_account(table, fields[id_col], fields[country_col], fields[balance_col],
                                                line, error)) {
                note_row(pos);
                pos = after;
                ++line;
                continue;
            }
        reader.seek(pos, line);
        if (!reader.next(row)) break;
        if (row.offset >= part.stop_at) {
            read.next_row_offset = row.offset;
            break;
        }
        note_row(row.offset);
        pos = reader.consumed();
        line = reader.line();
        auto reject = [&](std::string_view why) { bad.add(0, part.file_name, row.line, why, row.raw); };
        if (const std::string problem = row_shape_problem(row, header); !problem.empty()) {
            reject(problem);
            continue;
        }
        const std::string_view id = row.fields[id_col], country = row.fields[country_col];
        if (auto why = check_id(id); !why.empty()) { reject("accountNumber is " + std::string(why)); continue; }
        if (auto why = check_id(country); !why.empty()) { reject("country is " + std::string(why)); continue; }
        const auto balance = parse_decimal(row.fields[balance_col], &error);
        if (!balance) { reject(field_problem("balance", row.fields[balance_col], error)); continue; }
        table.add(id, country, *balance, row.line);
    }
    return read;
}

HeaderMap read_account_header(std::string_view text, const std::string& file_name, uint64_t* rows_start,
                              uint64_t* rows_line) {
    CsvReader reader(text);
    CsvRow row;
    if (!reader.next(row)) fail(ExitCode::bad_input, file_name + ": empty file, expected a header line");
    HeaderMap header = resolve_header(row, kAccountColumns, file_name);
    *rows_start = reader.consumed();
    *rows_line = reader.line();
    return header;
}

AccountTable read_accounts(std::string_view text, const std::string& file_name, BadRowSink& bad, bool fast_rows) {
    uint64_t rows_start = 0, rows_line = 0;
    const HeaderMap header = read_account_header(text, file_name, &rows_start, &rows_line);
    AccountTable table;
    // Ids are indexed after the whole file is read (by number when they allow it, which needs every id
    // first). A bad row that stops the run under --on-bad-row fail is checked against the rows before
    // it, so that a duplicate earlier in the file is still the error reported, as in a sequential check.
    try {
        read_account_rows(AccountPart{text, file_name, header, rows_start, UINT64_MAX, rows_line, fast_rows}, bad, table);
    } catch (const LedgerError&) {
        if (!table.build_number_index(file_name)) table.build_hash_index(file_name);
        throw;
    }
    if (!table.build_number_index(file_name)) table.build_hash_index(file_name);
    return table;
}

}  // namespace ledger
