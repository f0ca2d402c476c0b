#include "ingest_parallel.hpp"

#include <algorithm>
#include <optional>

#include "bad_row_codec.hpp"
#include "ingest_common.hpp"
#include "ledger/atomic_output.hpp"
#include "ledger/chunking.hpp"
#include "ledger/grouping.hpp"
#include "ledger/order.hpp"
#include "ledger/partition.hpp"
#include "ledger/prefault.hpp"
#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// This rank's share of one transactions file.
struct FileShare {
    std::vector<uint64_t> cuts;  // ranks + 1 cut offsets, the same on every rank
    RowsRead read;
    size_t transfers_begin = 0, transfers_end = 0;  // its records in the rank's transfer vector
    uint64_t line_feeds = 0;  // in this rank's part, [cuts[rank], cuts[rank + 1])
    bool parsed = false;
};

struct Share {
    std::vector<FileShare> files;
    std::vector<Transfer> transfers;
    std::vector<WideAmount> wide;        // by position once exchanged; before that, in no particular order
    BadRowSink bad{BadRowPolicy::skip};  // lines relative to the part until fix_lines
    std::optional<LedgerError> file_failure;  // first transactions file that cannot be opened or has no header
    uint32_t failed_file = UINT32_MAX;
};

void parse_part(const RootState& inputs, const Options& options, Share& share, uint32_t f, int rank,
                ProgressReporter& progress) {
    FileShare& file = share.files[f];
    const std::string_view text = inputs.transaction_files[f].text();
    const uint64_t begin = file.cuts[size_t(rank)], end = file.cuts[size_t(rank) + 1];
    TransferText part{text.substr(begin), options.transactions[f], f, 1, begin, end, {}, true, {}};
    const FileReader reader(options.transactions[f]);
    part.read_at = [&reader](uint64_t offset, char* out, size_t bytes) { return reader.read(offset, out, bytes); };
    // Rank 0 shows its own share; the shares are cut to equal sizes, so it speaks for all.
    progress.start("read " + options.transactions[f], ProgressUnit::bytes, end - begin);
    const InputFile& input = inputs.transaction_files[f];
    uint64_t released = begin;
    part.on_progress = [&](uint64_t done) {
        progress.update(done);
        released = input.release(released, begin + done);
    };
    file.transfers_begin = share.transfers.size();
    // Counted once: the bound on the part's rows, and (less one) its line feeds for fix_lines.
    const size_t max_rows = size_t(input.count_line_feeds_in(begin, end)) + 1;
    file.line_feeds = max_rows - 1;
    // The headroom is for the exchange: a rank whose countries hold more records than it parsed keeps
    // them in this vector (Exchange::exchange_in_place); an eighth covers the imbalance that assigning
    // whole countries by load leaves on the workloads of scripts/bench.sh, and past it the vector grows.
    reserve_prefaulted(share.transfers, max_rows, max_rows / 8);
    file.read = read_transfer_rows(part, inputs.headers[f], inputs.accounts, share.bad, share.transfers, share.wide);
    file.transfers_end = share.transfers.size();
    file.parsed = true;
    progress.finish();
}

// Opens and parses this rank's part of every file up to the first one that is unusable; that failure
// is kept, not thrown, because an earlier file's bad row must win over it as in a sequential read.
void parse_share(const Options& options, RootState& inputs, Share& share, int ranks, int rank,
                 ProgressReporter& progress) {
    share.files.resize(options.transactions.size());
    for (uint32_t f = 0; f < options.transactions.size(); ++f) {
        try {
            inputs.transaction_files.emplace_back(options.transactions[f]);
            check_transactions_file_size(inputs.transaction_files.back().size(), options.transactions[f]);
            const std::string_view text = inputs.transaction_files.back().text();
            size_t data_start = 0;
            uint64_t data_line = 0;
            inputs.headers.push_back(read_transfer_header({text, options.transactions[f], f, 1, 0, UINT64_MAX, {}, true, {}}, &data_start, &data_line));
            share.files[f].cuts = propose_cuts(text, data_start, ranks);
        } catch (const LedgerError& e) {
            share.file_failure = LedgerError(e.code(), e.what(), (uint64_t{f + 1} << 48));
            share.failed_file = f;
            return;
        }
        parse_part(inputs, options, share, f, rank, progress);
    }
}

// Where a part's reading began: its first row, or where it stopped if it had none.
uint64_t part_start(const RowsRead& read) {
    return read.first_row_offset != UINT64_MAX ? read.first_row_offset : read.next_row_offset;
}

// A part is right when it starts exactly where the previous part stopped. A cut that fell inside a
// quoted field spanning lines breaks that; the file's cuts are then set on true row starts and read again.
void repair_cuts(const Options& options, RootState& inputs, Share& share, std::span<const uint64_t> all, int ranks,
                 int rank, ProgressReporter& progress) {
    const size_t files = share.files.size();
    for (uint32_t f = 0; f < files; ++f) {
        if (!share.files[f].parsed) continue;
        bool consistent = true;
        for (int r = 1; r < ranks; ++r) {
            const uint64_t previous_next = all[size_t(r - 1) * files * 2 + f * 2 + 1];
            const uint64_t start = all[size_t(r) * files * 2 + f * 2];
            consistent = consistent && previous_next == start;
        }
        if (consistent) continue;
        FileShare& file = share.files[f];
        const std::string_view text = inputs.transaction_files[f].text();
        file.cuts = row_starts_at(text, file.cuts.front(), file.cuts);
        share.transfers.erase(share.transfers.begin() + std::ptrdiff_t(file.transfers_begin),
                              share.transfers.begin() + std::ptrdiff_t(file.transfers_end));
        for (FileShare& later : share.files) {
            if (later.transfers_begin < file.transfers_end) continue;
            later.transfers_begin -= file.transfers_end - file.transfers_begin;
            later.transfers_end -= file.transfers_end - file.transfers_begin;
        }
        std::erase_if(share.wide, [&](const WideAmount& w) { return position_file(w.position) == f; });
        std::erase_if(share.bad.rows(), [&](const BadRow& row) { return row.file_index == f + 1; });
        // Re-read at the end of the vector: record order within a rank does not matter before sorting.
        parse_part(inputs, options, share, f, rank, progress);
    }
}

// Bad rows carry lines counted from the start of their part; make them the file's own: add the line
// feeds before the first part (the header) and those of the parts of lower ranks.
void fix_lines(Share& share, std::span<const uint64_t> newlines_all, const RootState& inputs, int rank) {
    const size_t files = share.files.size();
    std::vector<uint64_t> before(files, 0);
    for (size_t f = 0; f < files; ++f) {
        if (!share.files[f].parsed) continue;
        before[f] = count_line_feeds(inputs.transaction_files[f].text().substr(0, share.files[f].cuts[0]));
        for (int r = 0; r < rank; ++r) before[f] += newlines_all[size_t(r) * files + f];
    }
    for (BadRow& row : share.bad.rows()) row.line += before[row.file_index - 1];
}

std::vector<uint64_t> newlines_per_part(const Share& share) {
    std::vector<uint64_t> counts;
    for (const FileShare& file : share.files) counts.push_back(file.parsed ? file.line_feeds : 0);
    return counts;
}

// Under --on-bad-row fail, the earliest problem in input order stops the run, as a sequential read would.
void fail_on_first_problem(const Options& options, const Share& share) {
    if (options.on_bad_row == BadRowPolicy::fail && !share.bad.rows().empty()) {
        const BadRow& first = *std::min_element(share.bad.rows().begin(), share.bad.rows().end(),
                                                [](const BadRow& a, const BadRow& b) {
                                                    return a.file_index != b.file_index ? a.file_index < b.file_index
                                                                                        : a.line < b.line;
                                                });
        throw LedgerError(ExitCode::bad_input, bad_row_message(first.file, first.line, first.error, first.raw),
                          (uint64_t{first.file_index} << 48) | first.line);
    }
    if (share.file_failure) throw *share.file_failure;
}

// Lays each record (a transfer or a wide amount: both name their sender) into the group of the rank that
// replays its sender's country, in place and in input order within each group (grouping.hpp).
template <class Record>
void group_by_owner(std::vector<Record>& records, std::span<const size_t> layout, std::span<const uint64_t> count,
                    const std::vector<int>& owner, const AccountTable& accounts) {
    group_stably(
        std::span(records), layout, count, [&](const Record& r) { return size_t(owner[accounts.country[r.from]]); },
        [&](const Record& r) { __builtin_prefetch(&accounts.country[r.from]); });
}

}  // namespace

RankWork run_parallel_ingest(const Options& options, mpi::Exchange& exchange, RootState& inputs, StageTimes& times,
                             ProgressReporter& progress) {
    const int ranks = exchange.size(), rank = exchange.rank();
    Share share;
    RankWork work;
    {
        StageTimer timer(times, Stage::read_parse);
        step(exchange, [&] {
            const InputFile accounts_file(options.accounts);
            inputs.accounts = read_accounts(accounts_file.text(), options.accounts, inputs.bad);
            if (!exchange.is_root()) inputs.bad.rows().clear();  // rank 0 alone reports the accounts file's
            parse_share(options, inputs, share, ranks, rank, progress);
        });
        std::vector<uint64_t> starts;
        for (const FileShare& file : share.files) {
            starts.push_back(part_start(file.read));
            starts.push_back(file.read.next_row_offset);
        }
        const std::vector<uint64_t> all_starts = exchange.all_gather(starts);
        std::vector<uint64_t> newlines;
        step(exchange, [&] {
            repair_cuts(options, inputs, share, all_starts, ranks, rank, progress);
            newlines = newlines_per_part(share);
        });
        const std::vector<uint64_t> all_newlines = exchange.all_gather(newlines);
        step(exchange, [&] {
            fix_lines(share, all_newlines, inputs, rank);
            fail_on_first_problem(options, share);
        });
    }

    int scale = inputs.accounts.max_scale;
    for (const FileShare& file : share.files) scale = std::max(scale, file.read.max_scale);
    exchange.max_in_place(scale);
    std::vector<uint64_t> per_country;
    step(exchange, [&] {
        StageTimer timer(times, Stage::read_parse);
        inputs.opening = rescale_opening(inputs.accounts, scale, options.accounts);
        rescale_transfers(share.transfers, share.wide, scale);
    });
    // Records are grouped by owner where they lie, each group is sorted by the rank that parsed it, and
    // the groups are exchanged inside the same vector; each rank then holds one sorted run from every
    // rank, which the replay merges as it reads them. Sorting where the records were parsed keeps the
    // sort as even across ranks as the parse, however unevenly the countries' transfers fall on their
    // owners (the replay alone follows the countries), and a group in input order is nearly sorted on a
    // day exported in time order, so it sorts in two passes.
    std::vector<uint64_t> group_counts, wide_counts;
    std::vector<int> owner;
    const std::vector<size_t> layout = mpi::Exchange::group_layout(rank, ranks);
    {
        StageTimer timer(times, Stage::partition);
        std::vector<uint64_t> local_per_country;
        step(exchange, [&] {
            split_static_rejections(share.transfers, share.wide, work.static_rejections, work.static_totals);
            local_per_country = transfers_per_country(share.transfers, inputs.accounts);
        });
        per_country = local_per_country;
        exchange.sum_in_place(per_country);
        owner = assign_countries(per_country, ranks);
        step(exchange, [&] {
            // The transfers' group sizes follow from the counts per country; the wide amounts are counted.
            group_counts.assign(size_t(ranks), 0);
            wide_counts.assign(size_t(ranks), 0);
            for (size_t c = 0; c < local_per_country.size(); ++c) group_counts[size_t(owner[c])] += local_per_country[c];
            for (const WideAmount& w : share.wide) ++wide_counts[size_t(owner[inputs.accounts.country[w.from]])];
            uint64_t grouped = 0;
            for (const uint64_t n : group_counts) grouped += n;
            if (grouped != share.transfers.size())
                fail(ExitCode::internal, "the transfers counted per country do not match the transfers held");
            if (ranks > 1) {
                group_by_owner(share.transfers, layout, group_counts, owner, inputs.accounts);
                group_by_owner(share.wide, layout, wide_counts, owner, inputs.accounts);
            }
        });
    }
    {
        StageTimer timer(times, Stage::sort);
        step(exchange, [&] {
            size_t begin = 0;
            for (const size_t r : layout) {
                sort_for_replay(std::span(share.transfers).subspan(begin, size_t(group_counts[r])));
                begin += size_t(group_counts[r]);
            }
        });
    }
    {
        StageTimer timer(times, Stage::exchange);
        const size_t kept = size_t(group_counts[size_t(rank)]);
        std::vector<uint64_t> received_counts;
        if (ranks > 1) {
            received_counts = exchange.exchange_in_place(share.transfers, group_counts);
            exchange.exchange_in_place(share.wide, wide_counts);
        }
        work.transfers = std::move(share.transfers);
        work.wide_amounts = std::move(share.wide);
        size_t run_start = kept;
        for (const uint64_t n : received_counts) {
            work.later_run_starts.push_back(run_start);
            run_start += size_t(n);
        }
        sort_by_position(work.wide_amounts);
        uint64_t good_rows = work.static_totals.transfers;
        for (const uint64_t n : group_counts) good_rows += n;
        std::vector<uint64_t> read_total{good_rows};
        exchange.sum_in_place(read_total);
        inputs.transfers_read = read_total[0];
        if (ranks == 1) {
            // Nothing to gather: a million quarantined rows would otherwise be encoded and copied twice.
            auto& kept_rows = inputs.bad.rows();
            kept_rows.insert(kept_rows.end(), std::make_move_iterator(share.bad.rows().begin()),
                             std::make_move_iterator(share.bad.rows().end()));
        } else if (const std::vector<mpi::Bytes> bad = exchange.gather_to_root(encode_bad_rows(share.bad.rows()));
                   exchange.is_root()) {
            std::vector<std::string> names{options.accounts};
            names.insert(names.end(), options.transactions.begin(), options.transactions.end());
            for (const mpi::Bytes& bytes : bad) decode_bad_rows(bytes, names, inputs.bad.rows());
        }
    }
    const RunShape shape{scale, inputs.accounts.size(), inputs.accounts.countries.size()};
    add_accounts_of_rank(work, shape, owner, inputs.accounts, inputs.opening, rank);
    return work;
}

}  // namespace ledger
