#include "rejected_part.hpp"

#include <algorithm>

#include "ledger/order.hpp"
#include "ledger/output.hpp"
#include "ledger/splitters.hpp"

namespace ledger {

OutputPart rejected_part(std::vector<Rejection> rejections, const TransferShare& share, mpi::Exchange& exchange) {
    const int ranks = exchange.size();
    sort_for_replay(rejections);
    // Regular samples: ranks of them from each rank's sorted list, so that each range holds at most about
    // twice its fair share whatever the ranks hold.
    mpi::Bytes samples;
    for (int k = 0; k < ranks && !rejections.empty(); ++k)
        mpi::append_value(samples, rejections[rejections.size() * size_t(k) / size_t(ranks)].order);
    std::vector<OrderKey> all_samples;
    for (const mpi::Bytes& bytes : exchange.all_gather_bytes(samples)) {
        mpi::ByteReader in(bytes);
        for (const OrderKey& key : in.items<OrderKey>(bytes.size() / sizeof(OrderKey))) all_samples.push_back(key);
    }
    const std::vector<OrderKey> splitters = choose_splitters(std::move(all_samples), ranks);
    std::vector<mpi::Bytes> to_range(static_cast<size_t>(ranks));
    const std::span<const Rejection> sorted(rejections);
    size_t begin = 0;
    for (int r = 0; r < ranks; ++r) {
        size_t end = sorted.size();
        if (size_t(r) < splitters.size())
            end = size_t(std::lower_bound(sorted.begin() + std::ptrdiff_t(begin), sorted.end(), splitters[size_t(r)],
                                          [](const Rejection& a, const OrderKey& key) { return a.order < key; }) -
                         sorted.begin());
        mpi::append_bytes(to_range[size_t(r)], sorted.subspan(begin, end - begin));
        begin = end;
    }
    std::vector<Rejection>().swap(rejections);
    std::vector<Rejection> mine;
    for (const mpi::Bytes& bytes : exchange.exchange_bytes(std::move(to_range))) {
        mpi::ByteReader in(bytes);
        const std::vector<Rejection> run = in.items<Rejection>(bytes.size() / sizeof(Rejection));
        mine.insert(mine.end(), run.begin(), run.end());
    }
    sort_for_replay(mine);
    std::string rows;
    for (const Rejection& r : mine) {
        const uint32_t file = position_file(r.position());
        const std::string_view text = share.files[file].text().substr(position_offset(r.position()));
        append_rejected_row(rows, fields_of_row(text, share.headers[file]), r.reason());
    }
    uint64_t total = 0;
    const uint64_t before = exchange.exclusive_sum(rows.size(), &total);
    OutputPart part;
    if (exchange.is_root()) part.pieces.push_back({0, std::string(kRejectedHeader)});
    if (!rows.empty()) part.pieces.push_back({kRejectedHeader.size() + before, std::move(rows)});
    return part;
}

}  // namespace ledger
