// Splitting the plain rows that make up nearly every CSV file a bank exports (no quotes, no CR, no blanks
// around a field) without the general reader's per-byte state machine: 64 bytes at a time with SSE2
// compares. Both the transactions and the accounts readers try it first and give the general reader
// (csv.hpp) only the rows it declines.
#pragma once

#include <cstddef>
#include <string_view>

namespace ledger {

// Longer rows are left to the general reader, which also owns the kMaxRowBytes limit. The fast path
// never looks further than this past a row's start.
inline constexpr size_t kMaxFastRowBytes = 512;

// Splits the row at text[pos] into `count` fields and returns the position past its line feed, or 0 when
// the row needs the general CSV reader: it holds a quote, CR or NUL, has an empty field, a blank at a
// field's end, other than `count` fields, or no line feed within kMaxFastRowBytes. A row it splits reads
// the same through the general reader. Shared by the transactions and the accounts readers.
size_t split_plain_row(std::string_view text, size_t pos, std::string_view* fields, size_t count);

}  // namespace ledger
