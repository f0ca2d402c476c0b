#include "ingest_parallel.hpp"

#include <algorithm>
#include <optional>

#include "bad_row_codec.hpp"
#include "ingest_common.hpp"
#include "ledger/atomic_output.hpp"
#include "ledger/chunking.hpp"
#include "ledger/order.hpp"
#include "ledger/partition.hpp"
#include "ledger/prefault.hpp"
#include "ledger/transfers.hpp"
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
    BadRowSink bad{BadRowPolicy::skip};  // lines relative to the part until fix_lines
    std::optional<LedgerError> file_failure;  // first transactions file that cannot be opened or has no header
    uint32_t failed_file = UINT32_MAX;
};

void parse_part(const RootState& inputs, const Options& options, Share& share, uint32_t f, int rank,
                ProgressReporter& progress) {
    FileShare& file = share.files[f];
    const std::string_view text = inputs.transaction_files[f].text();
    const uint64_t begin = file.cuts[size_t(rank)], end = file.cuts[size_t(rank) + 1];
    TransferText part{text.substr(begin), options.transactions[f], f, 1, begin, end, {}, true};
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
    reserve_prefaulted(share.transfers, max_rows);
    file.read = read_transfer_rows(part, inputs.headers[f], inputs.accounts, share.bad, share.transfers);
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
            const std::string_view text = inputs.transaction_files.back().text();
            size_t data_start = 0;
            uint64_t data_line = 0;
            inputs.headers.push_back(read_transfer_header({text, options.transactions[f], f, 1, 0, UINT64_MAX, {}, true}, &data_start, &data_line));
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

// Each destination rank's records, contiguous: group r is records[begin[r], begin[r] + count[r]).
struct Groups {
    std::vector<uint64_t> count, begin;
};

// Moves each record into its destination rank's group, in place (cycle by cycle, as an American flag sort
// does). The groups lie in rank order except `own`, which comes last: the other groups then go out in
// one all-to-all straight from the vector, and the records that stay never travel. In place because a
// grouped copy would cost as much fresh memory as the records, and first-touch page faults are a large
// part of the ingest's time.
Groups group_in_place(std::vector<Transfer>& records, const std::vector<int>& owner, const AccountTable& accounts,
                      int ranks, int own) {
    const auto owner_of = [&](const Transfer& t) { return size_t(owner[accounts.country[t.from]]); };
    Groups groups{std::vector<uint64_t>(size_t(ranks), 0), std::vector<uint64_t>(size_t(ranks), 0)};
    for (const Transfer& t : records) ++groups.count[owner_of(t)];
    std::vector<size_t> layout;
    for (int r = 0; r < ranks; ++r)
        if (r != own) layout.push_back(size_t(r));
    layout.push_back(size_t(own));
    uint64_t at = 0;
    for (const size_t r : layout) {
        groups.begin[r] = at;
        at += groups.count[r];
    }
    std::vector<size_t> next(groups.begin.begin(), groups.begin.end());
    for (const size_t r : layout) {
        const size_t end = size_t(groups.begin[r] + groups.count[r]);
        while (next[r] < end) {
            const size_t home = owner_of(records[next[r]]);
            if (home == r) {
                ++next[r];
            } else {
                std::swap(records[next[r]], records[next[home]++]);
            }
        }
    }
    return groups;
}

// The received runs (one per source rank, each sorted) merged pairwise into one sorted sequence.
void merge_runs(std::vector<Transfer>& records, const std::vector<uint64_t>& run_sizes) {
    std::vector<size_t> bounds{0};
    for (uint64_t n : run_sizes) bounds.push_back(bounds.back() + size_t(n));
    const auto before = [](const Transfer& a, const Transfer& b) { return replay_before(a, b); };
    while (bounds.size() > 2) {
        std::vector<size_t> merged{0};
        for (size_t i = 0; i + 2 < bounds.size(); i += 2) {
            std::inplace_merge(records.begin() + std::ptrdiff_t(bounds[i]), records.begin() + std::ptrdiff_t(bounds[i + 1]),
                               records.begin() + std::ptrdiff_t(bounds[i + 2]), before);
            merged.push_back(bounds[i + 2]);
        }
        if (bounds.size() % 2 == 0) merged.push_back(bounds.back());
        bounds = std::move(merged);
    }
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
        rescale_transfers(share.transfers, scale);
    });
    // Countries are assigned before sorting, so that each destination's group is sorted on its own and
    // the groups go out of the rank's own record vector without a copy.
    Groups groups;
    std::vector<int> owner;
    {
        StageTimer timer(times, Stage::partition);
        split_static_rejections(share.transfers, work.static_rejections, work.static_totals);
        per_country = transfers_per_country(share.transfers, inputs.accounts);
        exchange.sum_in_place(per_country);
        owner = assign_countries(per_country, ranks);
        groups = ranks > 1 ? group_in_place(share.transfers, owner, inputs.accounts, ranks, rank)
                           : Groups{{share.transfers.size()}, {0}};
    }
    {
        StageTimer timer(times, Stage::sort);
        for (size_t r = 0; r < groups.count.size(); ++r)
            sort_for_replay(std::span<Transfer>(share.transfers).subspan(size_t(groups.begin[r]), size_t(groups.count[r])));
    }
    std::vector<uint64_t> run_sizes;  // the sorted runs of work.transfers, in order
    {
        StageTimer timer(times, Stage::exchange);
        const uint64_t own = groups.count[size_t(rank)];
        if (ranks > 1) {
            std::vector<uint64_t> send = groups.count;
            send[size_t(rank)] = 0;  // the own group, last in the vector, stays
            std::vector<uint64_t> received_runs;
            const std::vector<Transfer> received = exchange.exchange_by_owner<Transfer>(share.transfers, send, &received_runs);
            // The own run moves to the front and the received runs follow it, in pages already touched.
            const auto own_begin = share.transfers.end() - std::ptrdiff_t(own);
            std::copy(own_begin, share.transfers.end(), share.transfers.begin());
            share.transfers.resize(size_t(own));
            share.transfers.insert(share.transfers.end(), received.begin(), received.end());
            run_sizes.push_back(own);
            run_sizes.insert(run_sizes.end(), received_runs.begin(), received_runs.end());
        } else {
            run_sizes.push_back(own);
        }
        work.transfers = std::move(share.transfers);
        const uint64_t good_rows = work.static_totals.transfers + [&] {
            uint64_t n = 0;
            for (uint64_t c : groups.count) n += c;
            return n;
        }();
        std::vector<uint64_t> read_total{good_rows};
        exchange.sum_in_place(read_total);
        inputs.transfers_read = read_total[0];
        if (ranks == 1) {
            // Nothing to gather: a million quarantined rows would otherwise be encoded and copied twice.
            auto& kept = inputs.bad.rows();
            kept.insert(kept.end(), std::make_move_iterator(share.bad.rows().begin()),
                        std::make_move_iterator(share.bad.rows().end()));
        } else if (const std::vector<mpi::Bytes> bad = exchange.gather_to_root(encode_bad_rows(share.bad.rows()));
                   exchange.is_root()) {
            std::vector<std::string> names{options.accounts};
            names.insert(names.end(), options.transactions.begin(), options.transactions.end());
            for (const mpi::Bytes& bytes : bad) decode_bad_rows(bytes, names, inputs.bad.rows());
        }
    }
    {
        StageTimer timer(times, Stage::sort);
        merge_runs(work.transfers, run_sizes);
    }
    const RunShape shape{scale, inputs.accounts.size(), inputs.accounts.countries.size()};
    add_accounts_of_rank(work, shape, owner, inputs.accounts, inputs.opening, rank);
    return work;
}

}  // namespace ledger
