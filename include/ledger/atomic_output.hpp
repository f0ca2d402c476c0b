// Output files appear whole or not at all. Each is written to a hidden temporary name in its own
// directory and renamed into place only when the whole run has succeeded; a failed run removes its
// temporaries and leaves any older file at the path untouched. Streams are written through instead,
// never replaced: `-` (stdout), a path naming this process's stdout or stderr (/dev/stdout,
// /proc/self/fd/1, a symbolic link to one), and any other existing path that is not a regular file (a
// device such as /dev/null or /dev/full, a FIFO). A symbolic link to a regular file stays a link: the
// file it points to is replaced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ledger {

// The output path that means stdout.
inline constexpr std::string_view kStdoutPath = "-";

// Throws LedgerError(io) if `path` can clearly not be written (a directory, a missing or read-only
// parent). Called before the heavy work so that a bad output path fails in a second, not after the run.
void check_output_path(const std::string& path);

class AtomicOutputs {
public:
    AtomicOutputs() = default;
    ~AtomicOutputs();  // removes every temporary that was not committed
    AtomicOutputs(const AtomicOutputs&) = delete;
    AtomicOutputs& operator=(const AtomicOutputs&) = delete;

    // Writes `content` to the temporary of `path` (flushed and synced). Throws LedgerError(io).
    void stage(const std::string& path, std::string_view content);

    // Creates the empty temporary of `path` for writers elsewhere (other ranks) to fill, and returns its
    // name; commit_all renames it like a staged one. Returns "" for a path that is not a regular file,
    // which cannot be written at offsets: stage() its whole content instead. Throws LedgerError(io).
    std::string reserve(const std::string& path);

    // Renames every staged or reserved file into place, in the order they were staged, then syncs each
    // directory, so that the renames survive a crash. Throws LedgerError(io).
    void commit_all();

    // Removes every temporary that was not committed.
    void discard_all() noexcept;

private:
    struct Staged {
        std::string final_path;
        std::string temp_path;  // empty when written directly (not a regular file)
    };
    std::vector<Staged> staged_;
};

// For a thread about to end the process by a signal: removes the temporaries of every AtomicOutputs,
// waiting for a commit under way to finish first, and from then on blocks any other thread that would
// create or rename one. So a run ended this way leaves its outputs all old or all new, and no temporary
// behind. The calling thread may still write files of its own (the report). Returns whether any output
// had been put in place before (renamed, or written whole to a device or FIFO).
bool abandon_all_outputs() noexcept;

// Writes `content` to `path` through a temporary and a rename, at once (report, metrics file).
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace ledger
