// The transfers of a workload, written as transactions.csv or transactions-1..K.csv. Each row is a pure
// function of (seed, row index) apart from the running clock, so the same seed gives the same rows
// whatever else is switched on.
#pragma once

#include "options.hpp"
#include "population.hpp"

namespace ledger_gen {

void write_transaction_files(const Options& options, const Population& population);

}  // namespace ledger_gen
