// This rank's part of one output file: the bytes it writes and where they go. Every rank formats the rows
// it holds and learns their offsets from a prefix sum of byte lengths, so no rank gathers a whole file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ledger {

struct OutputPiece {
    uint64_t offset;
    std::string text;
};

struct OutputPart {
    std::vector<OutputPiece> pieces;

    uint64_t bytes() const {
        uint64_t n = 0;
        for (const OutputPiece& piece : pieces) n += piece.text.size();
        return n;
    }
};

}  // namespace ledger
