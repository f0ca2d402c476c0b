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

template <class LocalWork>
void step(mpi::Exchange& exchange, LocalWork&& work) {
    std::optional<mpi::Failure> mine;
    try {
        work();
    } catch (const PositionedError& e) {
        mine = mpi::Failure{e.code(), e.what(), e.position(), true};
    } catch (const LedgerError& e) {
        mine = mpi::Failure{e.code(), e.what(), e.order(), false};
    } catch (const std::bad_alloc&) {
        // The same class as the up-front memory check (memory_budget.hpp): the input did not fit, which
        // the operator fixes with more memory or ranks, not a bug report.
        mine = mpi::Failure{ExitCode::io,
                            not_enough_memory("an allocation failed on rank " + std::to_string(exchange.rank())),
                            UINT64_MAX, false};
    } catch (const std::exception& e) {
        mine = mpi::Failure{ExitCode::internal, std::string("internal error: ") + e.what(), UINT64_MAX, false};
    }
    if (auto agreed = exchange.agree_on_failure(mine)) throw AgreedFailure{*agreed};
}

}  // namespace ledger
