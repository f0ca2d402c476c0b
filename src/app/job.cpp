#include "job.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "ingest_common.hpp"
#include "ingest_parallel.hpp"
#include "ingest_root.hpp"
#include "ledger/atomic_output.hpp"
#include "ledger/input_file.hpp"
#include "memory_budget.hpp"
#include "rank_result.hpp"
#include "step.hpp"
#include "write_outputs.hpp"

namespace ledger {
namespace {

// `file:line: message (row)` for an error known by a transfer's input position.
std::string describe_position(const RootState& root, const Options& options, const mpi::Failure& failure) {
    const uint32_t file = position_file(failure.order);
    if (file >= root.transaction_files.size()) return failure.message;
    const std::string_view text = root.transaction_files[file].text();
    const uint64_t offset = position_offset(failure.order);
    std::string_view row = text.substr(std::min<uint64_t>(offset, text.size()));
    row = row.substr(0, row.find('\n'));
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    return bad_row_message(options.transactions[file], line_of_offset(text, offset), failure.message, row);
}

void fill_summary(RunSummary& summary, const RootState& root, const JobOutcome& outcome,
                  const std::vector<RankResult>& results) {
    summary.accounts = root.accounts.size();
    summary.countries = root.accounts.countries.size();
    summary.transfers = root.transfers_read;
    summary.accepted = outcome.totals.accepted;
    summary.rejected = outcome.totals.rejected;
    summary.bad_rows = outcome.bad_rows;
    summary.scale = outcome.scale;
    if (!outcome.totals.amount_moved_overflow) summary.amount_moved = format_units(outcome.totals.amount_moved, outcome.scale);
    for (size_t r = 0; r < results.size(); ++r) {
        const RankFigures& f = results[r].figures;
        RankSummary rank{int(r), f.countries, f.transfers, f.bytes_sent, f.bytes_received, f.peak_rss_bytes, {}};
        for (int s = 0; s < kStageCount; ++s) rank.stages_seconds.emplace_back(kStageNames[size_t(s)], f.times.seconds[size_t(s)]);
        summary.ranks.push_back(std::move(rank));
    }
}

}  // namespace

int run_job(const Options& options, mpi::Exchange& exchange, RunSummary& summary) {
    RootState root(options.on_bad_row);
    // Rank 0 alone draws progress: N ranks redrawing one terminal line would be noise.
    ProgressReporter progress = exchange.is_root() ? make_stderr_progress(options.progress) : ProgressReporter();
    StageTimes times;
    RankWork work;
    std::vector<RankResult> results;
    const auto started = std::chrono::steady_clock::now();
    try {
        // Before any heavy work: a bad output path or an input too big for memory fails in a second.
        step(exchange, [&] {
            if (exchange.is_root()) check_output_paths(options);
            check_transactions_file_sizes(options);
            check_memory_budget(job_size(options.accounts, options.transactions, exchange.size(),
                                         options.ingest == IngestMode::root),
                                exchange.rank());
        });
        work = options.ingest == IngestMode::root ? run_root_ingest(options, exchange, root, times, progress)
                                                  : run_parallel_ingest(options, exchange, root, times, progress);
        RankResult mine;
        step(exchange, [&] {
            StageTimer timer(times, Stage::replay);
            mine = replay_work(work, exchange.rank(), progress);
        });
        {
            StageTimer timer(times, Stage::gather);
            mine.figures.bytes_sent = exchange.bytes_sent();
            mine.figures.bytes_received = exchange.bytes_received();
            mine.figures.peak_rss_bytes = peak_rss_bytes();
            mine.figures.times = times;
            std::vector<mpi::Bytes> gathered = exchange.gather_to_root(encode_result(mine));
            for (const mpi::Bytes& bytes : gathered) results.push_back(decode_result(bytes));
        }
        step(exchange, [&] {
            if (!exchange.is_root()) return;
            StageTimer timer(times, Stage::write);
            const JobOutcome outcome = write_outputs(options, root, work.shape.scale, results);
            fill_summary(summary, root, outcome, results);
        });
    } catch (const AgreedFailure& agreed) {
        summary.ok = false;
        summary.exit_code = int(agreed.failure.code);
        summary.error = agreed.failure.order_is_position && exchange.is_root()
                            ? describe_position(root, options, agreed.failure)
                            : agreed.failure.message;
        return summary.exit_code;
    }
    summary.ok = true;
    summary.exit_code = 0;
    for (int s = 0; s < kStageCount; ++s) summary.stages_seconds.emplace_back(kStageNames[size_t(s)], times.seconds[size_t(s)]);
    // A rank's figures travel in the gather, before its gather and rank 0's write are over; rank 0's own
    // entry is completed here. The other ranks' gather shows 0: theirs ends after they sent their figures.
    if (exchange.is_root() && !summary.ranks.empty()) summary.ranks[0].stages_seconds = summary.stages_seconds;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (exchange.is_root()) {
        uint64_t rejected = 0;
        for (uint64_t n : summary.rejected) rejected += n;
        spdlog::info("{} transfers ({} accepted, {} rejected, {} bad rows) in {} countries on {} ranks in {:.3f} s "
                     "({:.0f} transfers/s); conservation holds in every country; balances in {}",
                     summary.transfers, summary.accepted, rejected, summary.bad_rows, summary.countries,
                     exchange.size(), elapsed, double(summary.transfers) / std::max(elapsed, 1e-9), options.output);
    }
    return 0;
}

}  // namespace ledger
