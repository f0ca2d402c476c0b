#include "ingest_root.hpp"

#include <algorithm>

#include "ingest_common.hpp"
#include "ledger/order.hpp"
#include "ledger/partition.hpp"
#include "ledger/prefault.hpp"
#include "ledger/static_rejections.hpp"
#include "ledger/atomic_output.hpp"
#include "ledger/transfers.hpp"
#include "stages/input_digests.hpp"
#include "step.hpp"
#include "write_outputs.hpp"

namespace ledger {

std::vector<RankWork> prepare_root_ingest(const Options& options, RootState& root, StageTimes& times, int ranks,
                                          ProgressReporter& progress) {
    std::vector<Transfer> transfers;
    std::vector<WideAmount> wide;
    int scale = 0;
    {
        StageTimer timer(times, Stage::read_parse);
        const InputFile accounts_file(options.accounts);
        root.accounts = read_accounts(accounts_file.text(), options.accounts, root.bad);
        check_fixed_scale(root.accounts, options.fixed_scale, options.accounts);
        scale = root.accounts.max_scale;
        for (const std::string& path : options.transactions) {
            root.transaction_files.emplace_back(path);
            check_transactions_file_size(root.transaction_files.back().size(), path);
        }
        uint64_t total_bytes = 0, done_before = 0;
        for (const InputFile& file : root.transaction_files) total_bytes += file.size();
        progress.start("read", ProgressUnit::bytes, total_bytes);
        for (uint32_t f = 0; f < options.transactions.size(); ++f) {
            TransferText text{root.transaction_files[f].text(), options.transactions[f], f, 1, 0, UINT64_MAX, {}, true, {}};
            text.max_fraction_digits = options.fixed_scale.value_or(kMaxScale);
            const InputFile& input = root.transaction_files[f];
            const FileReader reader(options.transactions[f]);
            text.read_at = [&reader](uint64_t offset, char* out, size_t bytes) { return reader.read(offset, out, bytes); };
            uint64_t released = 0;
            text.on_progress = [&](uint64_t done) {
                progress.update(done_before + done);
                released = input.release(released, done);
            };
            HeaderMap header;
            reserve_prefaulted(transfers, size_t(input.count_line_feeds_in(0, input.size())) + 1);
            scale = std::max(scale, read_transfer_file(text, root.accounts, root.bad, transfers, wide, &header));
            root.headers.push_back(header);
            done_before += root.transaction_files[f].size();
        }
        progress.finish();
        root.transfers_read = transfers.size();
        scale = run_scale(options, scale);
        root.opening = rescale_opening(root.accounts, scale, options.accounts);
        rescale_transfers(transfers, wide, scale);
    }

    std::vector<RankWork> works(static_cast<size_t>(ranks));
    {
        StageTimer timer(times, Stage::sort);
        split_static_rejections(transfers, wide, works[0].static_rejections, works[0].static_totals);
        sort_for_replay(transfers);
    }
    StageTimer timer(times, Stage::partition);
    const std::vector<int> owner = assign_countries(transfers_per_country(transfers, root.accounts), ranks);
    const RunShape shape{scale, root.accounts.size(), root.accounts.countries.size()};
    for (int r = 0; r < ranks; ++r) add_accounts_of_rank(works[size_t(r)], shape, owner, root.accounts, root.opening, r);
    if (ranks == 1) {
        works[0].transfers = std::move(transfers);
        works[0].wide_amounts = std::move(wide);
        return works;
    }
    // Cutting a sorted sequence by owner keeps every rank's share in replay order.
    std::vector<size_t> share(static_cast<size_t>(ranks), 0);
    for (const Transfer& t : transfers) ++share[size_t(owner[root.accounts.country[t.from]])];
    for (int r = 0; r < ranks; ++r) reserve_huge(works[size_t(r)].transfers, share[size_t(r)]);
    for (const Transfer& t : transfers) works[size_t(owner[root.accounts.country[t.from]])].transfers.push_back(t);
    for (const WideAmount& w : wide) works[size_t(owner[root.accounts.country[w.from]])].wide_amounts.push_back(w);
    return works;
}

RankWork run_root_ingest(const Options& options, mpi::Exchange& exchange, RootState& root, StageTimes& times,
                         ProgressReporter& progress) {
    RankWork work;
    std::vector<mpi::Bytes> encoded;
    step(exchange, [&] {
        if (!exchange.is_root()) return;
        std::vector<RankWork> works = prepare_root_ingest(options, root, times, exchange.size(), progress);
        work = std::move(works[0]);
        // Encoded one at a time so that only one extra copy of a rank's share exists at once.
        encoded.resize(works.size());
        for (size_t r = 1; r < works.size(); ++r) {
            encoded[r] = encode_work(works[r]);
            works[r] = RankWork{};
        }
    });
    StageTimer timer(times, Stage::exchange);
    const mpi::Bytes mine = exchange.scatter_partitions(encoded);
    encoded.clear();
    step(exchange, [&] {
        if (!exchange.is_root()) work = decode_work(mine);
    });
    return work;
}

PipelineOutcome run_root_pipeline(const Options& options, mpi::Exchange& exchange, StageTimes& times,
                                  ProgressReporter& progress) {
    RootState root(options.on_bad_row);
    PipelineOutcome outcome;
    try {
        RankWork work = run_root_ingest(options, exchange, root, times, progress);
        step(exchange, [&] {
            if (!exchange.is_root()) return;
            StageTimer timer(times, Stage::digest);
            outcome.input_digests = digest_inputs_alone(input_paths(options));
        });
        RankResult mine;
        step(exchange, [&] {
            StageTimer timer(times, Stage::replay);
            mine = replay_work(work, exchange.rank(), progress);
        });
        {
            StageTimer timer(times, Stage::gather);
            mine.figures.accounts_held = exchange.is_root() ? root.accounts.size() : mine.account_index.size();
            if (exchange.is_root()) {
                mine.figures.input_bytes_parsed = input_file_size(options.accounts);
                for (const InputFile& file : root.transaction_files) mine.figures.input_bytes_parsed += file.size();
            }
            mine.figures.times = times;
            outcome.ranks = gather_rank_results(std::move(mine), exchange);
        }
        step(exchange, [&] {
            if (!exchange.is_root()) return;
            StageTimer timer(times, Stage::write);
            outcome.ranks[0].figures.output_bytes_written = write_outputs(options, root, work.shape.scale, outcome.ranks);
            outcome.accounts = root.accounts.size();
            outcome.countries = root.accounts.countries.size();
            outcome.transfers_read = root.transfers_read;
            outcome.bad_rows = root.bad.rows().size();
            outcome.scale = work.shape.scale;
        });
    } catch (AgreedFailure& agreed) {
        name_file_and_line(agreed.failure, root.transaction_files, options, exchange);
        throw;
    }
    return outcome;
}

}  // namespace ledger
