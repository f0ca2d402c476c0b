// Stage 1a of the parallel ingest: each rank reads the accounts that start in its line-aligned byte
// share of the accounts file, so that no rank parses or holds every account. An account's place in the
// file (its index among the good rows, which orders the balances output) is the exclusive prefix sum of
// the shares' row counts plus its place in the share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/errors.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

struct AccountShare {
    AccountTable table;                  // this share's good rows in file order, lines the file's; not indexed
    uint64_t first_index = 0;            // file-order index of table row 0 among all good rows
    uint64_t total = 0;                  // good rows in the whole file
    std::vector<std::string> countries;  // every country of the file, in order of first appearance
    std::vector<uint32_t> country;       // per row: index into `countries`
    BadRowSink bad{BadRowPolicy::skip};  // this share's bad rows, lines the file's
    uint64_t bytes_parsed = 0;
    // When every id in the file is a canonical integer and they are dense, the values they span:
    // transactions then name accounts by value (IdDictionary's numbered form).
    bool ids_are_numbers = false;
    uint64_t number_base = 0, numbers = 0;
    std::vector<uint32_t> keys;  // then, per row: its id's value less number_base (IdDictionary's key)
};

// Collective. Failures (a missing file, a bad header) are agreed by every rank. Bad rows are kept
// whatever the policy: a duplicate account earlier in the file must win over them (resolve_ids decides).
AccountShare read_account_share(const std::string& path, mpi::Exchange& exchange);

// The share's first bad row as the error a sequential read would stop at under --on-bad-row fail.
std::optional<LedgerError> first_bad_row(const AccountShare& share);

}  // namespace ledger
