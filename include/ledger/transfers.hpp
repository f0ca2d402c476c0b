// Transactions files, parsed into compact Transfer records. The static rejection reasons (everything but
// insufficient_funds) are decided here, where the accounts table is at hand, so replay only ever sees
// transfers that could move money.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/csv.hpp"
#include "ledger/decimal.hpp"
#include "ledger/id_dictionary.hpp"
#include "ledger/records.hpp"

namespace ledger {

inline constexpr std::string_view kTransferColumns[] = {"date", "fromAccountNumber", "transferAmount",
                                                       "toAccountNumber"};
inline constexpr std::string_view kAccountColumns[] = {"accountNumber", "country", "balance"};

// The fast path's read buffer (TransferText::read_at), held on each reading rank through its parse; the
// memory model (src/app/memory_budget.cpp) counts it. Smaller or larger buffers read no faster.
inline constexpr size_t kDefaultReadWindowBytes = size_t{4} << 20;

// One transactions file, or a line-aligned part of one.
struct TransferText {
    std::string_view text;
    std::string file_name;
    uint32_t file_index = 0;   // 0-based among the transactions files, in the order given
    uint64_t first_line = 1;   // line number of text[0] in the file
    uint64_t base_offset = 0;  // byte offset of text[0] in the file
    uint64_t stop_at = UINT64_MAX;  // rows starting at or after this file offset belong to the next part
    // Called now and then with the bytes of this part read so far (for a progress display).
    std::function<void(uint64_t)> on_progress;
    // false reads every row with the general CSV reader; tests compare that with the fast path.
    bool fast_rows = true;
    // When set, the fast path reads the text through a buffer of read_window_bytes that this fills with
    // the file's bytes at a file offset (returning how many it copied), rather than through `text`. On a
    // mapped file this skips the mapping's page faults (see FileReader); the general path, rare,
    // still reads `text`. A short read sends the rest of the part through `text`.
    std::function<size_t(uint64_t offset, char* out, size_t bytes)> read_at;
    size_t read_window_bytes = kDefaultReadWindowBytes;
    // An amount with more fraction digits is a bad row (--fixed-scale); never rounded.
    int max_fraction_digits = kMaxScale;
};

// Where the rows of a part were found: a part's first row must be where the previous part stopped.
struct RowsRead {
    int max_scale = 0;
    uint64_t first_row_offset = UINT64_MAX;  // file offset of the first row read (UINT64_MAX: none)
    uint64_t first_row_line = 0;              // its line, counted from part.first_line
    uint64_t next_row_offset = UINT64_MAX;    // first row at or after stop_at (UINT64_MAX: end of file)
};

// An upper bound on the rows of `part` that start before its stop_at (a row starts after a line feed).
size_t max_rows_in(const TransferText& part);

// Parses data rows of `part` (the header must already be resolved into `header`) and appends them to
// `out`, and the amounts too wide for a record to `wide` (in position order). Bad rows go to `bad` with
// file index file_index + 1.
RowsRead read_transfer_rows(const TransferText& part, const HeaderMap& header, const AccountTable& accounts,
                            BadRowSink& bad, std::vector<Transfer>& out, std::vector<WideAmount>& wide);

// The same for a rank that holds no accounts table: each row's accounts are named by keys interned in
// `ids`, and its static reason is provisional (only invalid_amount and same_account can show; an id may
// still turn out unknown). resolve_static_rejections (static_rejections.hpp) decides the reasons once the keys are resolved.
RowsRead read_transfer_rows(const TransferText& part, const HeaderMap& header, IdDictionary& ids, BadRowSink& bad,
                            std::vector<Transfer>& out, std::vector<WideAmount>& wide);

// Resolves the header of a whole transactions file from its first row. Returns the header and sets
// *rows_start to the byte (relative to file.text) where data rows begin and *rows_line to its line.
HeaderMap read_transfer_header(const TransferText& file, size_t* rows_start, uint64_t* rows_line);

// A whole file: resolves the header from its first row, then reads every row. Stores the header in
// *header when given.
int read_transfer_file(const TransferText& file, const AccountTable& accounts, BadRowSink& bad,
                       std::vector<Transfer>& out, std::vector<WideAmount>& wide, HeaderMap* header = nullptr);

// The static part of the spec's checks, in its order; insufficient_funds is left to replay.
Reason static_reason(uint32_t from, uint32_t to, int128 amount, const AccountTable& accounts);
// The same with the accounts' countries already looked up (ignored for an unknown account). Inline: the
// parallel ingest calls it for every transfer in a tight loop.
inline Reason static_reason(uint32_t from, uint32_t to, int128 amount, uint32_t from_country, uint32_t to_country) {
    if (from == kUnknownAccount || to == kUnknownAccount) return Reason::unknown_account;
    if (amount <= 0) return Reason::invalid_amount;
    if (from == to) return Reason::same_account;
    if (from_country != to_country) return Reason::cross_country;
    return Reason::none;
}


// Rescales every amount, in the records and in `wide`, to `scale`; an amount that outgrows its record
// moves to `wide`, which stays sorted by position. Throws PositionedError(bad_input) naming the earliest
// amount that does not fit in 128 bits at that scale.
void rescale_transfers(std::vector<Transfer>& transfers, std::vector<WideAmount>& wide, int scale);

// The four input fields of one transactions row as they appeared (trimmed, unquoted), for the rejected
// file. `row_text` starts at the row's first byte.
struct TransferFields {
    std::string date, from, amount, to;
};
TransferFields fields_of_row(std::string_view row_text, const HeaderMap& header);

}  // namespace ledger
