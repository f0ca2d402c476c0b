#include "rank_work.hpp"

#include <algorithm>

namespace ledger {

mpi::Bytes encode_work(const RankWork& work) {
    mpi::Bytes out;
    out.reserve(sizeof(RunShape) + work.owner.size() * sizeof(int) + work.account_index.size() * 24 +
                work.transfers.size() * sizeof(Transfer) + work.wide_amounts.size() * sizeof(WideAmount) +
                work.static_rejections.size() * sizeof(Rejection) + 256);
    mpi::append_value(out, work.shape);
    mpi::append_value(out, work.countries_owned);
    mpi::append_value(out, work.static_totals);
    for (size_t n : {work.owner.size(), work.account_index.size(), work.transfers.size(), work.wide_amounts.size(),
                     work.static_rejections.size()})
        mpi::append_value(out, uint64_t(n));
    mpi::append_bytes(out, std::span(work.owner));
    mpi::append_bytes(out, std::span(work.account_index));
    mpi::append_bytes(out, std::span(work.account_country));
    mpi::append_bytes(out, std::span(work.opening));
    mpi::append_bytes(out, std::span(work.transfers));
    mpi::append_bytes(out, std::span(work.wide_amounts));
    mpi::append_bytes(out, std::span(work.static_rejections));
    return out;
}

RankWork decode_work(std::span<const char> bytes) {
    mpi::ByteReader in(bytes);
    RankWork work;
    work.shape = in.value<RunShape>();
    work.countries_owned = in.value<uint64_t>();
    work.static_totals = in.value<ReplayTotals>();
    const auto owners = in.value<uint64_t>(), accounts = in.value<uint64_t>(), transfers = in.value<uint64_t>(),
               wide = in.value<uint64_t>(), rejections = in.value<uint64_t>();
    work.owner = in.items<int>(owners);
    work.account_index = in.items<uint32_t>(accounts);
    work.account_country = in.items<uint32_t>(accounts);
    work.opening = in.items<int128>(accounts);
    work.transfers = in.items<Transfer>(transfers);
    work.wide_amounts = in.items<WideAmount>(wide);
    work.static_rejections = in.items<Rejection>(rejections);
    if (!in.done()) fail(ExitCode::internal, "a work message between ranks is longer than expected");
    return work;
}

}  // namespace ledger
