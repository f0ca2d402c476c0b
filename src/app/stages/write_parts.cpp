#include "write_parts.hpp"

#include <algorithm>

#include "ledger/atomic_output.hpp"
#include "step.hpp"

namespace ledger {
namespace {

mpi::Bytes encode_pieces(const OutputPart& part) {
    mpi::Bytes out;
    for (const OutputPiece& piece : part.pieces) {
        mpi::append_value(out, piece.offset);
        mpi::append_value(out, uint64_t(piece.text.size()));
        mpi::append_bytes(out, std::span<const char>(piece.text.data(), piece.text.size()));
    }
    return out;
}

// The whole file from every rank's pieces, which cover it without gaps.
std::string assemble(const std::vector<mpi::Bytes>& encoded) {
    std::vector<OutputPiece> pieces;
    for (const mpi::Bytes& bytes : encoded) {
        mpi::ByteReader in(bytes);
        while (!in.done()) {
            OutputPiece piece{in.value<uint64_t>(), std::string(in.value<uint64_t>(), '\0')};
            in.read_into(piece.text.data(), piece.text.size());
            pieces.push_back(std::move(piece));
        }
    }
    std::sort(pieces.begin(), pieces.end(), [](const OutputPiece& a, const OutputPiece& b) { return a.offset < b.offset; });
    std::string whole;
    for (const OutputPiece& piece : pieces) {
        if (piece.offset != whole.size()) fail(ExitCode::internal, "the parts of an output file leave a gap or overlap");
        whole += piece.text;
    }
    return whole;
}

}  // namespace

uint64_t write_output_parts(std::vector<OutputFileParts>& files, mpi::Exchange& exchange) {
    AtomicOutputs outputs;  // rank 0's: the temporaries it creates, renames, or removes on failure
    mpi::Bytes temporaries;
    step(exchange, [&] {
        if (!exchange.is_root()) return;
        for (const OutputFileParts& file : files) {
            const std::string temporary = outputs.reserve(file.path);
            mpi::append_value(temporaries, uint64_t(temporary.size()));
            mpi::append_bytes(temporaries, std::span<const char>(temporary.data(), temporary.size()));
        }
    });
    exchange.broadcast_from_root(temporaries);
    mpi::ByteReader names(temporaries);
    uint64_t written = 0;
    for (OutputFileParts& file : files) {
        std::string temporary(names.value<uint64_t>(), '\0');
        names.read_into(temporary.data(), temporary.size());
        if (!temporary.empty()) {
            std::vector<mpi::Exchange::FilePiece> pieces;
            for (const OutputPiece& piece : file.part.pieces) pieces.push_back({piece.offset, piece.text});
            step(exchange, [&] { exchange.write_file_pieces(temporary, pieces); });
            written += file.part.bytes();
            continue;
        }
        const std::vector<mpi::Bytes> encoded = exchange.gather_to_root(encode_pieces(file.part));
        step(exchange, [&] {
            if (exchange.is_root()) {
                const std::string whole = assemble(encoded);
                outputs.stage(file.path, whole);
                written += whole.size();
            }
        });
    }
    step(exchange, [&] {
        if (exchange.is_root()) outputs.commit_all();
    });
    return written;
}

}  // namespace ledger
