// Rank-local work followed by agreement on failure. Collectives happen only between steps, so a rank that
// failed can never leave the others waiting inside one; when any rank fails, every rank leaves by the same
// AgreedFailure, carrying the one message the job prints.
#pragma once

#include <new>
#include <optional>
#include <string>

#include "ledger/errors.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

struct AgreedFailure {
    mpi::Failure failure;
};

// What one rank's work ended with: nothing, or the failure it threw, as the agreement wants it.
template <class LocalWork>
std::optional<mpi::Failure> outcome_of(mpi::Exchange& exchange, LocalWork&& work) {
    try {
        work();
    } catch (const PositionedError& e) {
        return mpi::Failure{e.code(), e.what(), e.position(), true};
    } catch (const LedgerError& e) {
        return mpi::Failure{e.code(), e.what(), e.order(), false};
    } catch (const std::bad_alloc&) {
        // The same class as the up-front memory check (memory_budget.hpp): the input did not fit, which
        // the operator fixes with more memory or ranks, not a bug report.
        return mpi::Failure{ExitCode::io,
                            not_enough_memory("an allocation failed on rank " + std::to_string(exchange.rank())),
                            UINT64_MAX, false};
    } catch (const std::exception& e) {
        return mpi::Failure{ExitCode::internal, std::string("internal error: ") + e.what(), UINT64_MAX, false};
    }
    return std::nullopt;
}

template <class LocalWork>
void step(mpi::Exchange& exchange, LocalWork&& work) {
    if (auto agreed = exchange.agree_on_failure(outcome_of(exchange, work))) throw AgreedFailure{*agreed};
}

// A step in which rank 0 alone works, for seconds (database mode's read and write-back): the other ranks
// wait for it asleep instead of polling in the agreement.
template <class RootWork>
void root_step(mpi::Exchange& exchange, RootWork&& work) {
    std::optional<mpi::Failure> mine;
    if (exchange.is_root()) mine = outcome_of(exchange, work);
    exchange.wait_for_all_asleep();
    if (auto agreed = exchange.agree_on_failure(mine)) throw AgreedFailure{*agreed};
}

}  // namespace ledger
