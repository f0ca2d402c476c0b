// Fuzzes the core pipeline of one rank on whole tiny inputs: read_accounts -> read_transfer_file (skip
// policy) -> rescale -> sort_for_replay -> replay, the way the job runs it, and checks the promises the
// job makes about money:
//   - every transfer gets the outcome the spec's checks give in the spec's order (unknown_account,
//     invalid_amount, same_account, cross_country, insufficient_funds), computed here independently;
//   - an accepted transfer moves exactly its amount from sender to receiver; a rejected one changes
//     nothing; no transfer makes a non-negative balance negative;
//   - per country, the sum of balances is the same after replay as before (conservation), and the job's
//     own check_conservation agrees;
//   - the fast sort gives the same order as its plain reference twin;
//   - determinism: a second run on the same bytes, with the records handed to the sort in reverse order
//     (as ranks deliver them in any order), gives the same balances, rejections and bad rows;
//   - the fail policy stops (exit 3) exactly when the skip policy found a bad row, and otherwise gives
//     the same result;
//   - the balances file reads back as an accounts file with the same ids, countries and balances (today's
//     output is tomorrow's input).
// Input errors (duplicate account, missing column, overflow) are legal outcomes; anything else thrown,
// and exit 5 (a broken conservation check) in particular, is a finding.
// Input: the accounts file, a NUL byte, the transactions file. Without a NUL, the whole input is the
// transactions file and a small fixed accounts file is used, so every input exercises replay.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fuzz_check.hpp"
#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/decimal.hpp"
#include "ledger/errors.hpp"
#include "ledger/order.hpp"
#include "ledger/output.hpp"
#include "ledger/records.hpp"
#include "ledger/replay.hpp"
#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"

namespace {

using namespace ledger;

constexpr std::string_view kDefaultAccounts =
    "accountNumber,country,balance\n1,NL,100\n2,NL,50.5\n3,DE,0\nA,DE,-7\n\"x,y\",NL,1\n";

using RejectionKey = std::tuple<int64_t, int32_t, uint64_t, int>;
using BadRowKey = std::tuple<uint32_t, uint64_t, std::string, std::string>;

struct Outcome {
    int exit_code = 0;  // 0, or the LedgerError's code
    std::string balances;
    std::vector<RejectionKey> rejections;
    std::vector<BadRowKey> bad_rows;
    bool operator==(const Outcome&) const = default;
};

// The spec's checks, written out in its order.
Reason expected_reason(const Transfer& t, int128 amount, const AccountTable& accounts, std::span<const int128> balances) {
    if (t.from == kUnknownAccount || t.to == kUnknownAccount) return Reason::unknown_account;
    if (amount <= 0) return Reason::invalid_amount;
    if (t.from == t.to) return Reason::same_account;
    if (accounts.country[t.from] != accounts.country[t.to]) return Reason::cross_country;
    if (balances[t.from] < amount) return Reason::insufficient_funds;
    return Reason::none;
}

// Replays one transfer at a time and checks each against the oracle. Throws what replay throws.
void replay_checked(std::span<const Transfer> sorted, std::span<const WideAmount> wide, const AccountTable& accounts,
                    std::vector<int128>& balances, std::vector<Rejection>& rejections, ReplayTotals& totals) {
    for (const Transfer& t : sorted) {
        const int128 amount = amount_of(t, wide);
        const Reason want = expected_reason(t, amount, accounts, balances);
        const std::vector<int128> before = balances;
        const size_t rejected_before = rejections.size();
        replay(std::span(&t, 1), wide, balances, rejections, totals);
        if (want != Reason::none) {
            FUZZ_CHECK(balances == before, "a rejected transfer changes nothing");
            FUZZ_CHECK(rejections.size() == rejected_before + 1, "a rejected transfer is recorded once");
            FUZZ_CHECK(rejections.back().reason() == want, "the rejection reason is the spec's first failing check");
            FUZZ_CHECK(rejections.back().position() == t.position(), "the rejection names its transfer");
            continue;
        }
        FUZZ_CHECK(rejections.size() == rejected_before, "an accepted transfer is not recorded as rejected");
        FUZZ_CHECK(balances[t.from] == before[t.from] - amount, "the sender pays exactly the amount");
        FUZZ_CHECK(balances[t.to] == before[t.to] + amount, "the receiver gets exactly the amount");
        FUZZ_CHECK(before[t.from] < 0 || balances[t.from] >= 0, "no transfer makes a balance negative");
        for (size_t a = 0; a < balances.size(); ++a)
            if (a != t.from && a != t.to) FUZZ_CHECK(balances[a] == before[a], "only sender and receiver change");
    }
}

void check_output_reads_back(const AccountTable& accounts, std::span<const int128> balances, int scale,
                             const std::string& text) {
    BadRowSink bad(BadRowPolicy::fail);
    const AccountTable back = read_accounts(text, "balances.csv", bad);
    FUZZ_CHECK(back.size() == accounts.size(), "the balances file has one row per account");
    FUZZ_CHECK(accounts.size() == 0 || back.max_scale == scale, "every balance has the run's scale");
    for (size_t a = 0; a < accounts.size(); ++a) {
        FUZZ_CHECK(back.ids[a] == accounts.ids[a], "ids read back unchanged");
        FUZZ_CHECK(back.countries[back.country[a]] == accounts.countries[accounts.country[a]],
                   "countries read back unchanged");
        FUZZ_CHECK(back.opening(a).units == balances[a], "balances read back unchanged");
    }
}

Outcome run(std::string_view accounts_text, std::string_view transactions_text, BadRowPolicy policy, bool reverse) {
    Outcome outcome;
    BadRowSink bad(policy);
    try {
        const AccountTable accounts = read_accounts(accounts_text, "accounts.csv", bad);
        std::vector<Transfer> transfers;
        std::vector<WideAmount> wide;
        TransferText file;
        file.text = transactions_text;
        file.file_name = "transactions.csv";
        const int scale = std::max(accounts.max_scale, read_transfer_file(file, accounts, bad, transfers, wide));
        std::vector<int128> balances(accounts.size());
        for (size_t a = 0; a < accounts.size(); ++a)
            if (!rescale(accounts.opening(a), scale, &balances[a])) fail(ExitCode::bad_input, "balance overflows");
        rescale_transfers(transfers, wide, scale);

        std::vector<Transfer> reference = transfers;
        sort_for_replay_reference(reference);
        if (reverse) std::reverse(transfers.begin(), transfers.end());
        sort_for_replay(transfers);
        for (size_t i = 0; i < transfers.size(); ++i)
            FUZZ_CHECK(transfers[i].position() == reference[i].position(), "the fast sort agrees with the reference sort");

        const std::vector<int128> opening = balances;
        const std::vector<uint128> sums_before = country_sums(balances, accounts.country, accounts.countries.size());
        std::vector<Rejection> rejections;
        ReplayTotals totals;
        replay_checked(transfers, wide, accounts, balances, rejections, totals);
        const std::vector<uint128> sums_after = country_sums(balances, accounts.country, accounts.countries.size());
        FUZZ_CHECK(sums_before == sums_after, "conservation in every country");
        check_conservation(sums_before, sums_after, std::vector<int>(accounts.countries.size(), 0), 0);
        uint64_t rejected = 0;
        for (uint64_t n : totals.rejected) rejected += n;
        FUZZ_CHECK(totals.transfers == transfers.size() && totals.accepted + rejected == totals.transfers,
                   "every transfer is counted once");

        // The job replays a whole sequence in one call; it must agree with the step-by-step replay.
        std::vector<int128> whole = opening;
        std::vector<Rejection> whole_rejections;
        ReplayTotals whole_totals;
        replay(transfers, wide, whole, whole_rejections, whole_totals);
        FUZZ_CHECK(whole == balances, "one replay call gives the step-by-step balances");
        FUZZ_CHECK(whole_rejections.size() == rejections.size(), "one replay call gives the same rejections");

        outcome.balances = format_balances(accounts, balances, scale);
        check_output_reads_back(accounts, balances, scale, outcome.balances);
        for (const Rejection& r : rejections)
            outcome.rejections.emplace_back(r.instant().seconds, r.instant().nanos, r.position(), int(r.reason()));
    } catch (const LedgerError& e) {
        outcome.exit_code = int(e.code());
        FUZZ_CHECK(e.code() == ExitCode::bad_input, "input can only fail as bad input (exit 3)");
    }
    for (const BadRow& row : bad.rows()) outcome.bad_rows.emplace_back(row.file_index, row.line, row.error, row.raw);
    return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t nul = input.find('\0');
    const std::string_view accounts = nul == std::string_view::npos ? kDefaultAccounts : input.substr(0, nul);
    const std::string_view transactions = nul == std::string_view::npos ? input : input.substr(nul + 1);

    const Outcome first = run(accounts, transactions, BadRowPolicy::skip, false);
    const Outcome second = run(accounts, transactions, BadRowPolicy::skip, true);
    FUZZ_CHECK(first == second, "two runs on the same bytes give the same result");

    const Outcome strict = run(accounts, transactions, BadRowPolicy::fail, false);
    if (!first.bad_rows.empty()) {
        FUZZ_CHECK(strict.exit_code == int(ExitCode::bad_input), "a bad row stops the run under the fail policy");
    } else {
        FUZZ_CHECK(strict == first, "without bad rows both policies give the same result");
    }
    return 0;
}
