#include "rejected_part.hpp"

#include <algorithm>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <cstring>
#include <optional>
#include <span>

#include "ingest_common.hpp"
#include "ledger/input_file.hpp"
#include "ledger/order.hpp"
#include "ledger/output.hpp"
#include "ledger/prefault.hpp"
#include "ledger/splitters.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// Every rejection to the rank that parsed its row: that rank reads its own share again, and no other.
std::vector<Rejection> at_parsers(const std::vector<Rejection>& rejections, const TransferShare& share,
                                  mpi::Exchange& exchange) {
    const size_t ranks = size_t(exchange.size());
    std::vector<mpi::Bytes> to_parser(ranks);
    for (const Rejection& r : rejections) {
        const std::vector<uint64_t>& cuts = share.parts[position_file(r.position())].cuts;
        const size_t after = size_t(std::upper_bound(cuts.begin(), cuts.end(), position_offset(r.position())) - cuts.begin());
        mpi::append_value(to_parser[std::clamp<size_t>(after, 1, ranks) - 1], r);
    }
    std::vector<Rejection> mine;
    for (const mpi::Bytes& bytes : exchange.exchange_bytes(std::move(to_parser))) {
        mpi::ByteReader in(bytes);
        const std::vector<Rejection> run = in.items<Rejection>(bytes.size() / sizeof(Rejection));
        mine.insert(mine.end(), run.begin(), run.end());
    }
    return mine;
}

// Rows formatted at their parser: each one's key in replay order and its bytes in `text`.
struct MadeRows {
    struct Row {
        OrderKey order;
        uint64_t begin;
        uint64_t size;
    };
    std::string text;
    std::vector<Row> rows;

    void add(OrderKey order, size_t text_before) { rows.push_back({order, text_before, text.size() - text_before}); }
};

// This rank's rejected rows, formatted, read in file order through its own share of each file. Traced
// rows (with a layout) first get their lines, counted from the start of this rank's part, whose line the
// read found.
MadeRows make_rows(std::vector<Rejection> mine, const TransferShare& share, int rank, const TracedRejectedRows* traced) {
    // One file open at a time: the rows come in file order, and a run may name more files than a process
    // may hold open.
    std::optional<ForwardReader> reader;
    uint32_t reader_file = UINT32_MAX;
    const auto reader_of = [&](uint32_t file) -> ForwardReader& {
        if (file != reader_file) reader.emplace(share.files[file]);
        reader_file = file;
        return *reader;
    };
    const auto row_text = [&](uint64_t position) {
        return reader_of(position_file(position)).from(position_offset(position));
    };
    MadeRows made;
    reserve_huge(made.text, mine.size() * 64);
    made.rows.reserve(mine.size());
    if (traced) {
        std::vector<TracedRejection> numbered;
        numbered.reserve(mine.size());
        for (const Rejection& r : mine) numbered.push_back({r.order, 0});
        std::vector<Rejection>().swap(mine);
        std::vector<LinePoint> starts;
        for (const TransferFilePart& part : share.parts) starts.push_back({part.cuts[size_t(rank)], part.first_line});
        number_rejected_lines(numbered, starts, [&](uint32_t file, uint64_t begin, uint64_t end) {
            return reader_of(file).count_line_feeds(begin, end);
        });
        for (const TracedRejection& r : numbered) {
            const size_t before = made.text.size();
            traced->append_row(made.text, row_text(r.position()), position_file(r.position()), r.line, r.reason());
            made.add(r.order, before);
        }
        return made;
    }
    boost::sort::pdqsort_branchless(mine.begin(), mine.end(),
                                    [](const Rejection& a, const Rejection& b) { return a.position() < b.position(); });
    for (const Rejection& r : mine) {
        const size_t before = made.text.size();
        append_rejected_row(made.text, row_text(r.position()), share.headers[position_file(r.position())], r.reason());
        made.add(r.order, before);
    }
    return made;
}

// Each rank's contiguous range of the rows in replay order: the rows sorted here, cut at splitters
// agreed from every rank's regular samples, and sent with their text, one message per rank pair; each
// rank merges the runs it holds, its own and one from every other rank.
std::string range_of_rank(MadeRows made, mpi::Exchange& exchange) {
    using Row = MadeRows::Row;
    const int ranks = exchange.size();
    const auto before = [](const Row& a, const Row& b) { return a.order < b.order; };
    // Made in file order, which is nearly replay order for a day exported in time order: a pattern the
    // pattern-defeating quicksort goes through in about one pass.
    boost::sort::pdqsort_branchless(made.rows.begin(), made.rows.end(), before);
    mpi::Bytes samples;
    const size_t sample_count = samples_per_rank(ranks);
    for (size_t k = 0; k < sample_count && !made.rows.empty(); ++k)
        mpi::append_value(samples, RegularSample{made.rows[made.rows.size() * k / sample_count].order, made.rows.size()});
    std::vector<RegularSample> all_samples;
    for (const mpi::Bytes& bytes : exchange.all_gather_bytes(samples)) {
        mpi::ByteReader in(bytes);
        for (const RegularSample& s : in.items<RegularSample>(bytes.size() / sizeof(RegularSample))) all_samples.push_back(s);
    }
    const std::vector<OrderKey> splitters = choose_splitters(std::move(all_samples), ranks);
    // cut[r], cut[r + 1]: the rows of rank r's range.
    std::vector<size_t> cut{0};
    for (int r = 0; r < ranks; ++r) {
        size_t end = made.rows.size();
        if (size_t(r) < splitters.size())
            end = size_t(std::lower_bound(made.rows.begin() + std::ptrdiff_t(cut.back()), made.rows.end(), splitters[size_t(r)],
                                          [](const Row& row, const OrderKey& key) { return row.order < key; }) -
                         made.rows.begin());
        cut.push_back(end);
    }
    // To every other rank: the number of its rows, their keys and sizes, then their text. This rank's own
    // range stays where it was made and is merged from there: a copy of it (most of the rows, on a day
    // exported in time order) would double the rows held at the peak.
    const size_t me = size_t(exchange.rank());
    std::vector<mpi::Bytes> to_range(static_cast<size_t>(ranks));
    for (size_t r = 0; r < size_t(ranks); ++r) {
        if (r == me) continue;
        uint64_t text_bytes = 0;
        for (size_t i = cut[r]; i < cut[r + 1]; ++i) text_bytes += made.rows[i].size;
        mpi::Bytes& out = to_range[r];
        const uint64_t count = cut[r + 1] - cut[r];
        out.resize(sizeof count + count * sizeof(Row) + text_bytes);
        char* at = out.data();
        std::memcpy(at, &count, sizeof count);
        at += sizeof count;
        if (count > 0) std::memcpy(at, made.rows.data() + cut[r], count * sizeof(Row));  // data() may be null
        at += count * sizeof(Row);
        for (size_t i = cut[r]; i < cut[r + 1]; ++i) {
            std::memcpy(at, made.text.data() + made.rows[i].begin, made.rows[i].size);
            at += made.rows[i].size;
        }
    }
    const std::vector<mpi::Bytes> received = exchange.exchange_bytes(std::move(to_range));

    // One run per rank, each in replay order: this rank's from `made`, the others' as received (a row's
    // text follows the previous row's there). Merged by their next keys into the range's text.
    struct Run {
        std::vector<Row> rows;  // a received run's; this rank's run reads made.rows
        std::span<const Row> view;
        const char* text = nullptr;  // a received run's next row's text
        size_t next = 0;
    };
    std::vector<Run> runs(static_cast<size_t>(ranks));
    uint64_t total = 0;
    for (size_t r = 0; r < runs.size(); ++r) {
        Run& run = runs[r];
        if (r == me) {
            run.view = std::span<const Row>(made.rows).subspan(cut[me], cut[me + 1] - cut[me]);
        } else if (!received[r].empty()) {  // every other rank sends at least its count
            mpi::ByteReader in(received[r]);
            const auto count = size_t(in.value<uint64_t>());
            run.rows = in.items<Row>(count);
            run.view = run.rows;
            run.text = received[r].data() + sizeof(uint64_t) + count * sizeof(Row);
        }
        for (const Row& row : run.view) total += row.size;
    }
    const auto later = [&](size_t a, size_t b) { return runs[b].view[runs[b].next].order < runs[a].view[runs[a].next].order; };
    std::vector<size_t> heads;  // a heap of the runs with rows left, the earliest next key on top
    for (size_t r = 0; r < runs.size(); ++r)
        if (!runs[r].view.empty()) heads.push_back(r);
    std::make_heap(heads.begin(), heads.end(), later);
    std::string text;
    reserve_huge(text, total);
    while (!heads.empty()) {
        std::pop_heap(heads.begin(), heads.end(), later);
        Run& run = runs[heads.back()];
        const Row& row = run.view[run.next++];
        if (heads.back() == me) {
            text.append(made.text, row.begin, row.size);
        } else {
            text.append(run.text, row.size);
            run.text += row.size;
        }
        if (run.next < run.view.size()) std::push_heap(heads.begin(), heads.end(), later);
        else heads.pop_back();
    }
    return text;
}

OutputPart at_offsets(std::string header, std::string rows, mpi::Exchange& exchange) {
    uint64_t total = 0;
    const uint64_t before = exchange.exclusive_sum(rows.size(), &total);
    OutputPart part;
    const uint64_t header_bytes = header.size();
    if (exchange.is_root()) part.pieces.push_back({0, std::move(header)});
    if (!rows.empty()) part.pieces.push_back({header_bytes + before, std::move(rows)});
    return part;
}

}  // namespace

OutputPart rejected_part(std::vector<Rejection> rejections, const TransferShare& share, const Options& options,
                         mpi::Exchange& exchange) {
    std::vector<Rejection> mine = at_parsers(rejections, share, exchange);
    std::vector<Rejection>().swap(rejections);
    std::optional<TracedRejectedRows> traced;
    if (options.rejected_columns == RejectedColumns::traced)
        traced.emplace(traced_rejected_rows(options, share.files, share.headers));
    MadeRows made;
    step(exchange, [&] { made = make_rows(std::move(mine), share, exchange.rank(), traced ? &*traced : nullptr); });
    return at_offsets(traced ? traced->header() : std::string(kRejectedHeader), range_of_rank(std::move(made), exchange),
                      exchange);
}

}  // namespace ledger
