// ledger-digest FILE...: prints the digest that ledger's run report records for each input file
// (`inputs[].xxh3_128`, docs/reference.md), one `DIGEST  FILE` line each, as sha256sum does; `-` reads
// stdin. So that a script can tell whether a file was applied already before it runs ledger, without
// running ledger or MPI. Exit 0, or 4 if a file cannot be read (the others are still printed), 2 for a
// bad command line.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "ledger/errors.hpp"
#include "ledger/file_digest.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: ledger-digest FILE...\n"
    "Prints the digest ledger's run report records for each input file (inputs[].xxh3_128): XXH3-128 of\n"
    "each 4 MiB block, then XXH3-128 of the block digests in order (big-endian). '-' reads stdin.\n";

int digest_one(const std::string& path) {
    const bool is_stdin = path == "-";
    const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        std::fprintf(stderr, "ledger-digest: error: cannot read '%s': %s\n", path.c_str(), std::strerror(errno));
        return 4;
    }
    int code = 0;
    try {
        const ledger::Digest128 digest = ledger::digest_stream(fd, path);
        std::printf("%s  %s\n", ledger::to_hex(digest).c_str(), path.c_str());
    } catch (const ledger::LedgerError& e) {
        std::fprintf(stderr, "ledger-digest: error: %s\n", e.what());
        code = int(e.code());
    }
    if (!is_stdin) ::close(fd);
    return code;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string first = argv[1];
    if (first == "--help" || first == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    int code = 0;
    bool options_done = false;  // after `--`, a name starting with '-' is a file
    for (int i = 1; i < argc; ++i) {
        const std::string path = argv[i];
        if (!options_done && path == "--") {
            options_done = true;
            continue;
        }
        if (!options_done && path.size() > 1 && path[0] == '-') {
            std::fprintf(stderr, "ledger-digest: error: unknown option '%s'\n%s", path.c_str(), kUsage);
            return 2;
        }
        if (const int c = digest_one(path); c != 0) code = c;
    }
    std::fflush(stdout);
    return code;
}
