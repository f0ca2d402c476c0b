#include "rejected_part.hpp"

#include <algorithm>

#include "ingest_common.hpp"
#include "ledger/order.hpp"
#include "ledger/output.hpp"
#include "ledger/splitters.hpp"
#include "step.hpp"

namespace ledger {
namespace {

void sort_by_order(std::vector<Rejection>& rejections) { sort_for_replay(rejections); }
void sort_by_order(std::vector<TracedRejection>& rejections) {
    std::sort(rejections.begin(), rejections.end(), [](const auto& a, const auto& b) { return replay_before(a, b); });
}

// This rank's contiguous range of every rank's records, in replay order.
template <class Record>
std::vector<Record> range_of_rank(std::vector<Record> records, mpi::Exchange& exchange) {
    const int ranks = exchange.size();
    sort_by_order(records);
    // Regular samples: ranks of them from each rank's sorted list, so that each range holds at most about
    // twice its fair share whatever the ranks hold.
    mpi::Bytes samples;
    for (int k = 0; k < ranks && !records.empty(); ++k)
        mpi::append_value(samples, records[records.size() * size_t(k) / size_t(ranks)].order);
    std::vector<OrderKey> all_samples;
    for (const mpi::Bytes& bytes : exchange.all_gather_bytes(samples)) {
        mpi::ByteReader in(bytes);
        for (const OrderKey& key : in.items<OrderKey>(bytes.size() / sizeof(OrderKey))) all_samples.push_back(key);
    }
    const std::vector<OrderKey> splitters = choose_splitters(std::move(all_samples), ranks);
    std::vector<mpi::Bytes> to_range(static_cast<size_t>(ranks));
    const std::span<const Record> sorted(records);
    size_t begin = 0;
    for (int r = 0; r < ranks; ++r) {
        size_t end = sorted.size();
        if (size_t(r) < splitters.size())
            end = size_t(std::lower_bound(sorted.begin() + std::ptrdiff_t(begin), sorted.end(), splitters[size_t(r)],
                                          [](const Record& a, const OrderKey& key) { return a.order < key; }) -
                         sorted.begin());
        mpi::append_bytes(to_range[size_t(r)], sorted.subspan(begin, end - begin));
        begin = end;
    }
    std::vector<Record>().swap(records);
    std::vector<Record> mine;
    for (const mpi::Bytes& bytes : exchange.exchange_bytes(std::move(to_range))) {
        mpi::ByteReader in(bytes);
        const std::vector<Record> run = in.items<Record>(bytes.size() / sizeof(Record));
        mine.insert(mine.end(), run.begin(), run.end());
    }
    sort_by_order(mine);
    return mine;
}

// Each rejection goes to the rank that parsed its row, which knows the line its part starts on and numbers
// its rows by counting the line feeds of its own part once: no rank reads more than its share, and the
// lines do not depend on the rank count.
std::vector<TracedRejection> number_at_parsers(const std::vector<Rejection>& rejections, const TransferShare& share,
                                               mpi::Exchange& exchange) {
    const size_t ranks = size_t(exchange.size()), rank = size_t(exchange.rank());
    std::vector<mpi::Bytes> to_parser(ranks);
    for (const Rejection& r : rejections) {
        const std::vector<uint64_t>& cuts = share.parts[position_file(r.position())].cuts;
        const size_t after = size_t(std::upper_bound(cuts.begin(), cuts.end(), position_offset(r.position())) - cuts.begin());
        mpi::append_value(to_parser[std::clamp<size_t>(after, 1, ranks) - 1], TracedRejection{r.order, 0});
    }
    std::vector<TracedRejection> mine;
    for (const mpi::Bytes& bytes : exchange.exchange_bytes(std::move(to_parser))) {
        mpi::ByteReader in(bytes);
        const std::vector<TracedRejection> run = in.items<TracedRejection>(bytes.size() / sizeof(TracedRejection));
        mine.insert(mine.end(), run.begin(), run.end());
    }
    std::vector<LinePoint> starts;
    for (const TransferFilePart& part : share.parts) starts.push_back({part.cuts[rank], part.first_line});
    std::vector<uint64_t> released;
    for (const LinePoint& start : starts) released.push_back(start.offset);
    step(exchange, [&] { number_rejected_lines(mine, starts, line_feeds_through(share.files, std::move(released))); });
    return mine;
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
    std::string rows;
    if (options.rejected_columns == RejectedColumns::traced) {
        std::vector<TracedRejection> numbered = number_at_parsers(rejections, share, exchange);
        std::vector<Rejection>().swap(rejections);
        const TracedRejectedRows layout = traced_rejected_rows(options, share.files, share.headers);
        for (const TracedRejection& r : range_of_rank(std::move(numbered), exchange)) {
            const uint32_t file = position_file(r.position());
            layout.append_row(rows, share.files[file].text().substr(position_offset(r.position())), file, r.line,
                              r.reason());
        }
        return at_offsets(layout.header(), std::move(rows), exchange);
    }
    for (const Rejection& r : range_of_rank(std::move(rejections), exchange)) {
        const uint32_t file = position_file(r.position());
        const std::string_view text = share.files[file].text().substr(position_offset(r.position()));
        append_rejected_row(rows, fields_of_row(text, share.headers[file]), r.reason());
    }
    return at_offsets(std::string(kRejectedHeader), std::move(rows), exchange);
}

}  // namespace ledger
