#include "transfer_share.hpp"

#include <algorithm>

#include "ingest_common.hpp"
#include "ledger/chunking.hpp"
#include "ledger/file_digest.hpp"
#include "ledger/prefault.hpp"
#include "share_joints.hpp"
#include "step.hpp"

namespace ledger {
namespace {

void parse_part(const Options& options, TransferShare& share, uint32_t f, int rank, ProgressReporter& progress) {
    TransferFilePart& file = share.parts[f];
    const InputFile& input = share.files[f];
    const std::string_view text = input.text();
    const uint64_t begin = file.cuts[size_t(rank)], end = file.cuts[size_t(rank) + 1];
    TransferText part{text.substr(begin), options.transactions[f], f, 1, begin, end, {}, true, {}};
    part.max_fraction_digits = options.fixed_scale.value_or(kMaxScale);
    const FileReader reader(options.transactions[f]);
    part.read_at = [&reader](uint64_t offset, char* out, size_t bytes) { return reader.read(offset, out, bytes); };
    // Rank 0 shows its own share; the shares are cut to equal sizes, so it speaks for all.
    progress.start("read " + options.transactions[f], ProgressUnit::bytes, end - begin);
    uint64_t released = begin;
    part.on_progress = [&](uint64_t done) {
        progress.update(done);
        released = input.release(released, begin + done);
    };
    file.transfers_begin = share.transfers.size();
    // Counted once: the bound on the part's rows, and (less one) its line feeds for the line numbers. The
    // input digest's blocks are hashed from the same reads, while the bytes are in the cache.
    const int ranks = int(file.cuts.size()) - 1;
    BlockRangeDigester digester(options.transactions[f], input.size(), digest_blocks_of_rank(input.size(), rank, ranks));
    const size_t max_rows =
        size_t(input.count_line_feeds_in(begin, end, [&](uint64_t at, std::string_view bytes) { digester.feed(at, bytes); })) +
        1;
    file.block_digests = digester.finish();
    file.line_feeds = max_rows - 1;
    // The headroom is for the exchange: a rank whose countries hold more records than it parsed keeps
    // them in this vector (Exchange::exchange_in_place); an eighth covers the imbalance that assigning
    // whole countries by load leaves on the workloads of scripts/bench.sh, and past it the vector grows.
    reserve_prefaulted(share.transfers, max_rows, max_rows / 8);
    file.read = read_transfer_rows(part, share.headers[f], share.ids, share.bad, share.transfers, share.wide);
    file.transfers_end = share.transfers.size();
    file.parsed = true;
    progress.finish();
}

// Opens and parses this rank's part of every file up to the first one that is unusable.
void parse_share(const Options& options, TransferShare& share, int ranks, int rank, ProgressReporter& progress) {
    share.parts.resize(options.transactions.size());
    for (uint32_t f = 0; f < options.transactions.size(); ++f) {
        try {
            share.files.emplace_back(options.transactions[f]);
            check_transactions_file_size(share.files.back().size(), options.transactions[f]);
            const std::string_view text = share.files.back().text();
            size_t data_start = 0;
            uint64_t data_line = 0;
            share.headers.push_back(read_transfer_header({text, options.transactions[f], f, 1, 0, UINT64_MAX, {}, true, {}},
                                                         &data_start, &data_line));
            share.parts[f].cuts = propose_cuts(text, data_start, ranks);
        } catch (const LedgerError& e) {
            share.file_failure = LedgerError(e.code(), e.what(), (uint64_t{f + 1} << 48));
            return;
        }
        parse_part(options, share, f, rank, progress);
    }
}

// A file whose shares do not join up is cut again on true row starts, and this rank's part read again.
void repair_cuts(const Options& options, TransferShare& share, const std::vector<bool>& joined, int rank,
                 ProgressReporter& progress) {
    for (uint32_t f = 0; f < share.parts.size(); ++f) {
        if (!share.parts[f].parsed || joined[f]) continue;
        TransferFilePart& file = share.parts[f];
        file.cuts = row_starts_at(share.files[f].text(), file.cuts.front(), file.cuts);
        share.transfers.erase(share.transfers.begin() + std::ptrdiff_t(file.transfers_begin),
                              share.transfers.begin() + std::ptrdiff_t(file.transfers_end));
        for (TransferFilePart& later : share.parts) {
            if (later.transfers_begin < file.transfers_end) continue;
            later.transfers_begin -= file.transfers_end - file.transfers_begin;
            later.transfers_end -= file.transfers_end - file.transfers_begin;
        }
        std::erase_if(share.wide, [&](const WideAmount& w) { return position_file(w.position) == f; });
        std::erase_if(share.bad.rows(), [&](const BadRow& row) { return row.file_index == f + 1; });
        // Re-read at the end of the vector: record order within a rank does not matter before sorting.
        parse_part(options, share, f, rank, progress);
    }
}

// Bad rows carry lines counted from the start of their part; make them the file's own: add the line
// feeds before the first part (the header) and those of the parts of lower ranks. The line of the part's
// start is kept, for the traced rejected file.
void fix_lines(TransferShare& share, std::span<const uint64_t> line_feeds_all, int rank) {
    const size_t files = share.parts.size();
    std::vector<uint64_t> before(files, 0);
    for (size_t f = 0; f < files; ++f) {
        if (!share.parts[f].parsed) continue;
        before[f] = count_line_feeds(share.files[f].text().substr(0, share.parts[f].cuts[0]));
        for (int r = 0; r < rank; ++r) before[f] += line_feeds_all[size_t(r) * files + f];
        share.parts[f].first_line = before[f] + 1;
    }
    for (BadRow& row : share.bad.rows()) row.line += before[row.file_index - 1];
}

}  // namespace

TransferShare read_transfer_share(const Options& options, IdDictionary ids, mpi::Exchange& exchange,
                                  ProgressReporter& progress) {
    const int ranks = exchange.size(), rank = exchange.rank();
    TransferShare share;
    share.ids = std::move(ids);
    step(exchange, [&] { parse_share(options, share, ranks, rank, progress); });
    std::vector<uint64_t> first_rows, next_rows;
    for (const TransferFilePart& part : share.parts) {
        first_rows.push_back(part.read.first_row_offset);
        next_rows.push_back(part.read.next_row_offset);
    }
    const std::vector<bool> joined = shares_join_up(exchange, first_rows, next_rows);
    std::vector<uint64_t> line_feeds;
    step(exchange, [&] {
        repair_cuts(options, share, joined, rank, progress);
        for (const TransferFilePart& part : share.parts) line_feeds.push_back(part.parsed ? part.line_feeds : 0);
    });
    fix_lines(share, exchange.all_gather(line_feeds), rank);
    for (const TransferFilePart& part : share.parts) {
        share.max_scale = std::max(share.max_scale, part.read.max_scale);
        if (part.parsed) share.bytes_parsed += part.cuts[size_t(rank) + 1] - part.cuts[size_t(rank)];
    }
    return share;
}

void fail_on_first_problem(BadRowPolicy policy, const TransferShare& share) {
    if (policy == BadRowPolicy::fail && !share.bad.rows().empty()) {
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

}  // namespace ledger
