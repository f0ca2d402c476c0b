#include "ingest_parallel.hpp"

#include <algorithm>

#include "ingest_common.hpp"
#include "ledger/partition.hpp"
#include "ledger/static_rejections.hpp"
#include "ledger/transfers.hpp"
#include "stages/account_share.hpp"
#include "stages/balances_part.hpp"
#include "stages/input_digests.hpp"
#include "stages/numbered_ids.hpp"
#include "stages/quarantine_part.hpp"
#include "stages/rejected_part.hpp"
#include "stages/resolve_ids.hpp"
#include "stages/route_to_owners.hpp"
#include "stages/transfer_share.hpp"
#include "stages/write_parts.hpp"
#include "step.hpp"

namespace ledger {
namespace {

uint64_t sum_over_ranks(mpi::Exchange& exchange, uint64_t mine) {
    uint64_t total = 0;
    exchange.exclusive_sum(mine, &total);
    return total;
}

void run_stages(const Options& options, mpi::Exchange& exchange, StageTimes& times, ProgressReporter& progress,
                TransferShare& transfers, PipelineOutcome& outcome) {
    RankFigures figures;

    // 1. Read shares. The accounts come first, and their errors (a bad row under --on-bad-row fail, a
    //    duplicate) stop the run before the transactions are read, as in a sequential read.
    AccountShare accounts;
    {
        StageTimer timer(times, Stage::read_parse);
        accounts = read_account_share(options.accounts, exchange);
        timer.set_rows(accounts.table.size(), "accounts");
    }
    std::optional<AccountDirectory> directory;
    {
        StageTimer timer(times, Stage::resolve_ids);
        directory = AccountDirectory::build(accounts, options.accounts, options.on_bad_row, exchange);
    }
    step(exchange, [&] { check_fixed_scale(accounts.table, options.fixed_scale, options.accounts); });
    int scale = 0;
    std::vector<int128> opening;
    {
        StageTimer timer(times, Stage::read_parse);
        transfers = read_transfer_share(
            options, accounts.ids_are_numbers ? IdDictionary(accounts.number_base, accounts.numbers) : IdDictionary(),
            exchange, progress);
        timer.set_rows(transfers.transfers.size(), "transfers");
        step(exchange, [&] { fail_on_first_problem(options.on_bad_row, transfers); });
        scale = std::max(accounts.table.max_scale, transfers.max_scale);
        exchange.max_in_place(scale);
        scale = run_scale(options, scale);
        // Separate steps: an account's overflow comes before any transfer's in input order.
        step(exchange, [&] { opening = rescale_opening(accounts.table, scale, options.accounts); });
        step(exchange, [&] { rescale_transfers(transfers.transfers, transfers.wide, scale); });
    }
    {
        StageTimer timer(times, Stage::digest);
        std::vector<const std::vector<Digest128>*> known{nullptr};  // the accounts file's are hashed here
        for (const TransferFilePart& part : transfers.parts) known.push_back(part.parsed ? &part.block_digests : nullptr);
        outcome.input_digests = digest_inputs(input_paths(options), known, exchange);
    }
    outcome.transfers_read = sum_over_ranks(exchange, transfers.transfers.size());
    figures.input_bytes_parsed = accounts.bytes_parsed + transfers.bytes_parsed;

    // 2. Resolve ids: through the dense id table, or each distinct id once at its home rank; then the
    //    transfers with a static reason are split off, and the rest counted by their sender's country.
    RankWork work;
    std::vector<uint32_t> key_country;
    std::vector<uint64_t> per_country(accounts.countries.size(), 0);  // this rank's transfers to replay
    {
        StageTimer timer(times, Stage::resolve_ids);
        key_country = directory->resolve_countries(transfers.ids, exchange);
        step(exchange, [&] {
            resolve_static_rejections(transfers.transfers, transfers.wide, key_country, work.static_rejections,
                                      work.static_totals, per_country);
        });
    }

    // 3. Route to the countries' owners, assigned by load (transfers to replay per country). Each account
    //    takes a place at its owner: in key order with the dense id table, else in file order.
    std::vector<std::vector<uint32_t>> places_from;
    std::vector<uint32_t> key_place;
    std::vector<uint64_t> transfers_per_owner(size_t(exchange.size()), 0);
    {
        StageTimer timer(times, Stage::partition);
        std::vector<uint64_t> load = per_country;
        exchange.sum_in_place(load);
        work.owner = assign_countries(load, exchange.size());
        for (const int o : work.owner) work.countries_owned += o == exchange.rank();
        for (size_t c = 0; c < per_country.size(); ++c) transfers_per_owner[size_t(work.owner[c])] += per_country[c];
        std::vector<uint32_t> share_places;
        if (resolves_by_id_table(accounts)) {
            key_place = places_in_key_order(key_country, work.owner);
            share_places = places_of_share(accounts, key_place);
        } else {
            share_places = place_accounts(accounts, work.owner, exchange);
            key_place = directory->resolve_slots(accounts, share_places, transfers.ids.key_count(), exchange);
        }
        figures.accounts_held = std::max<uint64_t>(accounts.table.size(), directory->accounts_held());
        directory.reset();
        transfers.ids = IdDictionary{};
        places_from = send_accounts_to_owners(accounts, opening, share_places, work.owner, work, exchange);
        std::vector<int128>().swap(opening);
    }
    // Outside the block's timer: it times its own partition, sort and exchange, which the report would
    // otherwise count twice.
    send_transfers_to_owners(transfers, key_country, key_place, transfers_per_owner, work.owner, work, times, exchange);
    std::vector<uint32_t>().swap(key_place);
    std::vector<uint32_t>().swap(key_country);
    work.shape = RunShape{scale, work.account_index.size(), accounts.countries.size()};
    figures.accounts_held = std::max<uint64_t>(figures.accounts_held, work.account_index.size());

    // 4. Replay this rank's countries.
    RankResult mine;
    step(exchange, [&] {
        StageTimer timer(times, Stage::replay);
        mine = replay_work(work, exchange.rank(), progress);
        timer.set_rows(mine.figures.transfers, "transfers");
    });

    // 5. Collect: each output's rows go to the rank that writes them.
    std::vector<OutputFileParts> files;
    {
        StageTimer timer(times, Stage::collect);
        const std::vector<int128> closing =
            return_closing_balances(accounts, work.owner, mine.closing, places_from, exchange);
        if (!options.rejected.empty())
            files.push_back({options.rejected, rejected_part(std::move(mine.rejections), transfers, options, exchange)});
        std::vector<BadRow> bad = std::move(accounts.bad.rows());
        bad.insert(bad.end(), std::make_move_iterator(transfers.bad.rows().begin()),
                   std::make_move_iterator(transfers.bad.rows().end()));
        outcome.bad_rows = sum_over_ranks(exchange, bad.size());
        if (!options.quarantine.empty())
            files.push_back({options.quarantine, quarantine_part(std::move(bad), 1 + options.transactions.size(), exchange)});
        files.push_back({options.output, balances_part(accounts, closing, scale, exchange)});
    }

    // 6. Write: every rank its ranges, then rank 0 renames.
    {
        StageTimer timer(times, Stage::write);
        figures.output_bytes_written = write_output_parts(files, exchange);
    }
    outcome.accounts = accounts.total;
    outcome.countries = accounts.countries.size();
    outcome.scale = scale;
    mine.figures.accounts_held = figures.accounts_held;
    mine.figures.input_bytes_parsed = figures.input_bytes_parsed;
    mine.figures.output_bytes_written = figures.output_bytes_written;
    mine.figures.times = times;
    std::vector<uint32_t>().swap(mine.account_index);
    std::vector<int128>().swap(mine.closing);
    StageTimer timer(times, Stage::gather);
    outcome.ranks = gather_rank_results(std::move(mine), exchange);
}

}  // namespace

PipelineOutcome run_parallel_pipeline(const Options& options, mpi::Exchange& exchange, StageTimes& times,
                                      ProgressReporter& progress) {
    PipelineOutcome outcome;
    TransferShare transfers;
    try {
        run_stages(options, exchange, times, progress, transfers, outcome);
    } catch (AgreedFailure& agreed) {
        name_file_and_line(agreed.failure, transfers.files, options, exchange);
        throw;
    }
    return outcome;
}

}  // namespace ledger
