#include "job.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "ingest_common.hpp"
#include "ingest_parallel.hpp"
#include "ingest_root.hpp"
#include "memory_budget.hpp"
#include "pipeline_outcome.hpp"
#include "step.hpp"

namespace ledger {
namespace {

void fill_summary(RunSummary& summary, const PipelineOutcome& outcome) {
    summary.accounts = outcome.accounts;
    summary.countries = outcome.countries;
    summary.transfers = outcome.transfers_read;
    summary.bad_rows = outcome.bad_rows;
    summary.scale = outcome.scale;
    // Matched from the end: in database mode the job's accounts file is a staged export, not an input of
    // the run, and the summary lists the transactions files alone.
    const size_t digests = outcome.input_digests.size(), inputs = summary.inputs.size();
    for (size_t i = 1; i <= std::min(digests, inputs); ++i)
        summary.inputs[inputs - i].xxh3_128 = to_hex(outcome.input_digests[digests - i]);
    ReplayTotals totals;
    for (const RankResult& r : outcome.ranks) totals.add(r.totals);
    summary.accepted = totals.accepted;
    summary.rejected = totals.rejected;
    if (!totals.amount_moved_overflow) summary.amount_moved = format_units(totals.amount_moved, outcome.scale);
    for (size_t r = 0; r < outcome.ranks.size(); ++r) {
        const RankFigures& f = outcome.ranks[r].figures;
        RankSummary rank{int(r), f.countries, f.transfers, f.bytes_sent, f.bytes_received, f.peak_rss_bytes, {},
                         f.accounts_held, f.input_bytes_parsed, f.output_bytes_written};
        for (int s = 0; s < kStageCount; ++s) rank.stages_seconds.emplace_back(kStageNames[size_t(s)], f.times.seconds[size_t(s)]);
        summary.ranks.push_back(std::move(rank));
    }
}

}  // namespace

int run_job(const Options& options, mpi::Exchange& exchange, RunSummary& summary) {
    // Rank 0 alone draws progress: N ranks redrawing one terminal line would be noise.
    ProgressReporter progress = exchange.is_root() ? make_stderr_progress(options.progress) : ProgressReporter();
    StageTimes times;
    PipelineOutcome outcome;
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
        outcome = options.ingest == IngestMode::root ? run_root_pipeline(options, exchange, times, progress)
                                                     : run_parallel_pipeline(options, exchange, times, progress);
    } catch (const AgreedFailure& agreed) {
        summary.ok = false;
        summary.exit_code = int(agreed.failure.code);
        summary.error = agreed.failure.message;
        return summary.exit_code;
    }
    if (exchange.is_root()) fill_summary(summary, outcome);
    summary.ok = true;
    summary.exit_code = 0;
    for (int s = 0; s < kStageCount; ++s) summary.stages_seconds.emplace_back(kStageNames[size_t(s)], times.seconds[size_t(s)]);
    // A rank's figures travel in the gather, before its gather (and, under the root ingest, rank 0's write)
    // are over; rank 0's own entry is completed here. The other ranks' gather shows 0: theirs ends after
    // they sent their figures.
    if (exchange.is_root() && !summary.ranks.empty()) summary.ranks[0].stages_seconds = summary.stages_seconds;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (exchange.is_root()) {
        if (options.quarantine.empty() && summary.bad_rows > 0)
            spdlog::warn("{} skipped and not saved: give --quarantine PATH to keep them",
                         counted(summary.bad_rows, "bad row", "bad rows"));
        spdlog::info("{}", run_summary_line(summary, exchange.size(), elapsed, options.output));
    }
    return 0;
}

}  // namespace ledger
