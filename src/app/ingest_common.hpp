// Steps both ingest strategies share: opening balances at the run's scale, per-country load, and the
// accounts part of each rank's work.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ledger/input_file.hpp"
#include "ledger/rejected_trace.hpp"
#include "options.hpp"
#include "rank_work.hpp"

namespace ledger {

// An agreed failure known by a transfer's input position becomes `file:line: message (row)` on rank 0,
// which has the transactions files mapped in `files` (in the order given).
void name_file_and_line(mpi::Failure& failure, std::span<const InputFile> files, const Options& options,
                        const mpi::Exchange& exchange);

// The layout of the traced rejected file, from the headers of the transactions files (mapped in `files`).
TracedRejectedRows traced_rejected_rows(const Options& options, std::span<const InputFile> files,
                                        std::span<const HeaderMap> headers);

// Line feeds counted through the mapped `files`, for number_rejected_lines. The pages counted are released
// behind the count from released_from[f] on, so that a file is never resident whole.
LineFeedCounter line_feeds_through(std::span<const InputFile> files, std::vector<uint64_t> released_from);

// The input files in the report's order: the accounts file, then the transactions files.
std::vector<std::string> input_paths(const Options& options);

// Fails fast (before any heavy work) on an output path that cannot be written.
void check_output_paths(const Options& options);

// A transfer's position holds its byte offset in kOffsetBits (records.hpp): a larger transactions file is
// an input error, raised when the file is opened and before any row is read.
void check_transactions_file_size(uint64_t bytes, const std::string& path);
// The same for every transactions file by its size on disk, so that the limit, not the memory check it
// would also fail, names the problem.
void check_transactions_file_sizes(const Options& options);

// Under --fixed-scale (`fixed` set): an opening balance with more fraction digits is an input error naming
// the file, line and account, whatever --on-bad-row says (it is a good row that the run cannot honour
// without rounding). The earliest such row in `accounts` (file order) is the one named.
void check_fixed_scale(const AccountTable& accounts, std::optional<int> fixed, const std::string& file_name);

// The run's scale: --fixed-scale if given, else the most fraction digits seen.
inline int run_scale(const Options& options, int most_seen) { return options.fixed_scale.value_or(most_seen); }

// Opening balances rescaled to `scale`; an overflow is an input error naming the accounts row. Then
// releases the table's balances at their own scale and its lines, which nothing reads afterwards.
std::vector<int128> rescale_opening(AccountTable& accounts, int scale, const std::string& file_name);

// Transfers that will be replayed (no static reason), counted by the sender's country.
std::vector<uint64_t> transfers_per_country(std::span<const Transfer> transfers, const AccountTable& accounts);

// Fills work.shape, owner and the accounts of the countries `rank` owns.
void add_accounts_of_rank(RankWork& work, const RunShape& shape, const std::vector<int>& owner,
                          const AccountTable& accounts, std::span<const int128> opening, int rank);

}  // namespace ledger
