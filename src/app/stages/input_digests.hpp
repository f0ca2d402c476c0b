// The digest stage: the report's digest of every input file (input_digest.hpp), so that a script can
// refuse to apply the same day twice. Runs after the inputs were parsed, when their bytes are in the page
// cache, and costs one read of them from there plus XXH3 (the digest entry of stages_seconds), except
// for the blocks hashed already while they were read for another reason.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ledger/input_digest.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

// Collective: every rank hashes the blocks that start in its equal byte share of each file, and rank 0
// combines them; the digests of `paths` in order on rank 0, nothing on the others. known[i], when not
// null, holds this rank's block digests of paths[i], hashed already.
std::vector<Digest128> digest_inputs(const std::vector<std::string>& paths,
                                     std::span<const std::vector<Digest128>* const> known, mpi::Exchange& exchange);

// One process hashes every block itself (the root ingest's rank 0, which reads everything).
std::vector<Digest128> digest_inputs_alone(const std::vector<std::string>& paths);

}  // namespace ledger
