#include "rank_result.hpp"

#include <sys/resource.h>

#include "ledger/prefault.hpp"

namespace ledger {
namespace {

std::vector<uint128> sums_of_held(std::span<const int128> balances_by_index, const RankWork& work) {
    std::vector<int128> held(work.account_index.size());
    for (size_t i = 0; i < held.size(); ++i) held[i] = balances_by_index[work.account_index[i]];
    return country_sums(held, work.account_country, work.shape.country_count);
}

}  // namespace

uint64_t peak_rss_bytes() {
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return uint64_t(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

RankResult replay_work(RankWork& work, int rank, ProgressReporter& progress) {
    RankResult result;
    result.figures.countries = work.countries_owned;
    result.figures.transfers = work.transfers.size();
    // Indexed by global account number: transfers carry global indices, and only this rank's
    // accounts are ever touched.
    std::vector<int128> balances;
    assign_huge(balances, work.shape.account_count, int128{0});  // read at random by every transfer
    for (size_t i = 0; i < work.account_index.size(); ++i) balances[work.account_index[i]] = work.opening[i];
    const std::vector<uint128> before = sums_of_held(balances, work);

    result.rejections = std::move(work.static_rejections);
    // Room for every transfer to be rejected, as address space: only what the replay writes becomes
    // resident, and the vector never grows by copying (a copy's fresh pages cost more here than the writes).
    reserve_huge(result.rejections, result.rejections.size() + work.transfers.size());
    result.totals = work.static_totals;
    ReplayTotals replayed;
    progress.start("replay", ProgressUnit::transfers, work.transfers.size());
    const std::span<const Transfer> transfers(work.transfers);
    replay(transfers, work.later_run_starts, work.wide_amounts,
           balances, result.rejections, replayed, [&](uint64_t done) { progress.update(done); });
    progress.finish();
    result.totals.add(replayed);

    check_conservation(before, sums_of_held(balances, work), work.owner, rank);
    result.account_index = std::move(work.account_index);
    result.closing.resize(result.account_index.size());
    for (size_t i = 0; i < result.closing.size(); ++i) result.closing[i] = balances[result.account_index[i]];
    std::vector<Transfer>().swap(work.transfers);
    return result;
}

std::vector<RankResult> gather_rank_results(RankResult mine, mpi::Exchange& exchange) {
    mine.figures.bytes_sent = exchange.bytes_sent();
    mine.figures.bytes_received = exchange.bytes_received();
    mine.figures.peak_rss_bytes = peak_rss_bytes();
    std::vector<RankResult> results;
    for (const mpi::Bytes& bytes : exchange.gather_to_root(encode_result(mine))) results.push_back(decode_result(bytes));
    return results;
}

mpi::Bytes encode_result(const RankResult& result) {
    mpi::Bytes out;
    mpi::append_value(out, result.figures);
    mpi::append_value(out, result.totals);
    mpi::append_value(out, uint64_t(result.account_index.size()));
    mpi::append_value(out, uint64_t(result.rejections.size()));
    mpi::append_bytes(out, std::span(result.account_index));
    mpi::append_bytes(out, std::span(result.closing));
    mpi::append_bytes(out, std::span(result.rejections));
    return out;
}

RankResult decode_result(std::span<const char> bytes) {
    mpi::ByteReader in(bytes);
    RankResult result;
    result.figures = in.value<RankFigures>();
    result.totals = in.value<ReplayTotals>();
    const auto accounts = in.value<uint64_t>(), rejections = in.value<uint64_t>();
    result.account_index = in.items<uint32_t>(accounts);
    result.closing = in.items<int128>(accounts);
    result.rejections = in.items<Rejection>(rejections);
    if (!in.done()) fail(ExitCode::internal, "a result message between ranks is longer than expected");
    return result;
}

}  // namespace ledger
