// Stage 6: every rank writes its parts of the output files into their temporaries at once (MPI-IO), then
// rank 0 renames them into place, the balances file last: a reader who finds a new balances file finds
// the run's other outputs in place too, and a run killed between two renames leaves the old balances.
// An output that is not a regular file (a FIFO, a terminal) cannot be written at offsets; its parts go to
// rank 0, which writes them in order.
#pragma once

#include <string>
#include <vector>

#include "ledger/mpi/exchange.hpp"
#include "output_part.hpp"

namespace ledger {

struct OutputFileParts {
    std::string path;
    OutputPart part;
};

// Collective. `files` in rename order (the balances last). Returns the bytes this rank wrote.
uint64_t write_output_parts(std::vector<OutputFileParts>& files, mpi::Exchange& exchange);

}  // namespace ledger
