#include "input_digests.hpp"

#include "ledger/file_digest.hpp"
#include "ledger/input_file.hpp"
#include "step.hpp"

namespace ledger {

std::vector<Digest128> digest_inputs(const std::vector<std::string>& paths,
                                     std::span<const std::vector<Digest128>* const> known, mpi::Exchange& exchange) {
    // Per file: how many block digests this rank has, then the digests (its blocks follow those of the
    // ranks below it, so rank 0 lays the ranks' runs end to end).
    mpi::Bytes mine;
    step(exchange, [&] {
        for (size_t i = 0; i < paths.size(); ++i) {
            const std::string& path = paths[i];
            const std::vector<Digest128> blocks =
                i < known.size() && known[i]
                    ? *known[i]
                    : digest_file_blocks(path, digest_blocks_of_rank(input_file_size(path), exchange.rank(), exchange.size()));
            mpi::append_value(mine, uint64_t(blocks.size()));
            mpi::append_bytes(mine, std::span<const Digest128>(blocks));
        }
    });
    const std::vector<mpi::Bytes> gathered = exchange.gather_to_root(mine);
    std::vector<Digest128> digests;
    if (!exchange.is_root()) return digests;
    std::vector<mpi::ByteReader> readers(gathered.begin(), gathered.end());
    for (size_t f = 0; f < paths.size(); ++f) {
        std::vector<Digest128> blocks;
        for (mpi::ByteReader& reader : readers) {
            const std::vector<Digest128> run = reader.items<Digest128>(size_t(reader.value<uint64_t>()));
            blocks.insert(blocks.end(), run.begin(), run.end());
        }
        digests.push_back(combine_block_digests(blocks));
    }
    return digests;
}

std::vector<Digest128> digest_inputs_alone(const std::vector<std::string>& paths) {
    std::vector<Digest128> digests;
    for (const std::string& path : paths)
        digests.push_back(combine_block_digests(digest_file_blocks(path, {0, digest_block_count(input_file_size(path))})));
    return digests;
}

}  // namespace ledger
