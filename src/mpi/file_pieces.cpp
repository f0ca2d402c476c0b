// The one place the job writes a file from several ranks at once. MPI-IO rather than pwrite from each
// rank: its collective writes let the MPI library gather small pieces into large aligned writes by a few
// aggregator ranks, which is what parallel file systems (Lustre, GPFS) need to be fast, and it works the
// same on a node's local disk. A file that is not regular (a FIFO, a terminal) cannot be written at
// offsets; the caller sends those to rank 0 instead.
#include <mpi.h>

#include <algorithm>
#include <climits>

#include "ledger/mpi/exchange.hpp"

namespace ledger::mpi {
namespace {

// MPI counts are ints: a piece is written in chunks below 1 GiB.
constexpr uint64_t kChunkBytes = uint64_t{1} << 30;

std::string mpi_error_text(int code) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    return std::string(text, size_t(std::max(length, 0)));
}

}  // namespace

void Exchange::write_file_pieces(const std::string& path, std::span<const FilePiece> pieces) {
    MPI_File file = MPI_FILE_NULL;
    std::string error;
    int code = MPI_File_open(comm_, path.c_str(), MPI_MODE_WRONLY, MPI_INFO_NULL, &file);
    if (code != MPI_SUCCESS) error = mpi_error_text(code);
    // Every rank takes part in every collective call: the chunks are counted, and each rank calls the
    // write as often as the rank with the most, with nothing to write once its own are done.
    uint64_t chunks = 0;
    for (const FilePiece& piece : pieces) chunks += (piece.bytes.size() + kChunkBytes - 1) / kChunkBytes;
    int opened = error.empty() ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &opened, 1, MPI_INT, MPI_MIN, comm_);
    if (opened) {
        MPI_Allreduce(MPI_IN_PLACE, &chunks, 1, MPI_UINT64_T, MPI_MAX, comm_);
        size_t piece = 0;
        uint64_t done = 0;  // bytes of pieces[piece] written
        for (uint64_t c = 0; c < chunks; ++c) {
            while (piece < pieces.size() && done == pieces[piece].bytes.size()) {
                ++piece;
                done = 0;
            }
            const char* data = nullptr;
            uint64_t offset = 0, bytes = 0;
            if (piece < pieces.size()) {
                data = pieces[piece].bytes.data() + done;
                offset = pieces[piece].offset + done;
                bytes = std::min(kChunkBytes, pieces[piece].bytes.size() - done);
                done += bytes;
            }
            MPI_Status status;
            code = MPI_File_write_at_all(file, MPI_Offset(offset), data, int(bytes), MPI_BYTE, &status);
            if (code != MPI_SUCCESS && error.empty()) error = mpi_error_text(code);
        }
        code = MPI_File_sync(file);
        if (code != MPI_SUCCESS && error.empty()) error = mpi_error_text(code);
    }
    if (file != MPI_FILE_NULL) {
        code = MPI_File_close(&file);
        if (code != MPI_SUCCESS && error.empty()) error = mpi_error_text(code);
    }
    int failed = error.empty() ? 0 : 1;
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, comm_);
    if (!failed) return;
    fail(ExitCode::io, "cannot write output '" + path + "': " + (error.empty() ? "another rank failed to write its part" : error));
}

}  // namespace ledger::mpi
