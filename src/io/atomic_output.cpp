#include "ledger/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "ledger/deferred_termination.hpp"
#include "ledger/errors.hpp"

namespace ledger {
namespace {

[[noreturn]] void fail_write(const std::string& path, const std::string& why) {
    fail(ExitCode::io, "cannot write output '" + path + "': " + why);
}

std::string parent_directory(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Hidden, in the same directory (so rename is atomic), and unique per process.
std::string temporary_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    return dir + "." + base + ".ledger-tmp-" + std::to_string(::getpid());
}

// Where the bytes of one output go.
struct Destination {
    int descriptor = -1;       // >= 0: this process's own stdout or stderr, written as it is
    bool through_path = false;  // a device or FIFO: opened at the path and written through
    std::string replaced;       // else: the regular file a temporary is renamed onto
};

bool is_same_file(const struct stat& a, int descriptor) {
    struct stat b;
    return ::fstat(descriptor, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// `-` is stdout. A path that names this process's stdout or stderr (/dev/stdout, /proc/self/fd/1, a
// symbolic link to one) is written to that descriptor: whatever it is (a terminal, a pipe, a file the
// shell opened, for appending perhaps), a rename onto the path would replace the link instead of writing
// the stream, and reopening it would truncate a file being appended to. Any other device or FIFO is
// written through its path. A symbolic link to a regular file keeps the link: the file it points to is
// the one replaced, from a temporary in that file's own directory.
Destination destination_of(const std::string& path) {
    if (path == kStdoutPath) return {STDOUT_FILENO, false, {}};
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return {-1, false, path};
    for (const int descriptor : {STDOUT_FILENO, STDERR_FILENO})
        if (is_same_file(st, descriptor)) return {descriptor, false, {}};
    if (!S_ISREG(st.st_mode)) return {-1, true, {}};
    struct stat link;
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
        if (char* resolved = ::realpath(path.c_str(), nullptr)) {
            std::string target(resolved);
            std::free(resolved);
            return {-1, false, target};
        }
    return {-1, false, path};
}

void write_all(int fd, const std::string& path, std::string_view content) {
    const char* p = content.data();
    size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_write(path, std::strerror(errno));
        }
        p += n;
        left -= size_t(n);
    }
}

// Every temporary of the process that is not yet renamed or removed, whichever AtomicOutputs made it, so
// that a thread ending the process (abandon_all_outputs) can remove them. The mutex is held while one is
// created and for the whole of a commit, so that none appears, and no rename happens, once it is taken.
std::mutex temporaries_mutex;
std::vector<std::string> live_temporaries;
uint64_t outputs_in_place = 0;  // renamed into place, or written whole to a device or FIFO
// The thread that abandoned the outputs holds the mutex for good, and may still write files of its own
// (the report of the ended run): those go without the lock and without the list.
thread_local bool abandoned_by_this_thread = false;

std::unique_lock<std::mutex> lock_temporaries() {
    return abandoned_by_this_thread ? std::unique_lock<std::mutex>() : std::unique_lock<std::mutex>(temporaries_mutex);
}

void forget_temporary(const std::string& temp_path) {
    const auto found = std::find(live_temporaries.begin(), live_temporaries.end(), temp_path);
    if (found != live_temporaries.end()) live_temporaries.erase(found);
}

// Like a device: written for good as it is written, so it waits at the outputs' lock as a rename would
// (for ever once they are abandoned), but is not held there while it writes (a reader may be slow).
void write_to_descriptor(int descriptor, const std::string& path, std::string_view content) {
    lock_temporaries();  // taken and released at once
    std::fflush(descriptor == STDOUT_FILENO ? stdout : stderr);  // anything printed before goes first
    write_all(descriptor, path, content);
    const std::unique_lock<std::mutex> lock = lock_temporaries();
    if (lock.owns_lock()) ++outputs_in_place;
}

}  // namespace

bool abandon_all_outputs() noexcept {
    temporaries_mutex.lock();  // never released: the caller is about to end the process
    abandoned_by_this_thread = true;
    for (const std::string& temp_path : live_temporaries) ::unlink(temp_path.c_str());
    live_temporaries.clear();
    return outputs_in_place > 0;
}

void check_output_path(const std::string& path) {
    if (path.empty()) fail_write(path, "empty path");
    const Destination destination = destination_of(path);
    if (destination.descriptor >= 0) return;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) fail_write(path, "it is a directory");
    const std::string dir = parent_directory(destination.through_path ? path : destination.replaced);
    if (::stat(dir.c_str(), &st) != 0) fail_write(path, "directory '" + dir + "': " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) fail_write(path, "'" + dir + "' is not a directory");
    if (!destination.through_path && ::access(dir.c_str(), W_OK | X_OK) != 0)
        fail_write(path, "directory '" + dir + "': " + std::strerror(errno));
}

AtomicOutputs::~AtomicOutputs() { discard_all(); }

void AtomicOutputs::stage(const std::string& path, std::string_view content) {
    check_output_path(path);
    const Destination destination = destination_of(path);
    if (destination.descriptor >= 0) {
        write_to_descriptor(destination.descriptor, path, content);
        return;
    }
    Staged staged{destination.through_path ? path : destination.replaced,
                  destination.through_path ? std::string() : temporary_name(destination.replaced)};
    const std::string& target = staged.temp_path.empty() ? path : staged.temp_path;
    const int flags = staged.temp_path.empty() ? O_WRONLY | O_CLOEXEC | O_TRUNC
                                               : O_WRONLY | O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC;
    // Room first, so that nothing after the open can throw before the temporary is on both lists.
    staged_.reserve(staged_.size() + 1);
    int fd = -1;
    if (staged.temp_path.empty()) {
        // Not under the lock: opening a FIFO for writing waits for a reader, for as long as it takes.
        fd = ::open(target.c_str(), flags, 0644);
    } else {
        const std::unique_lock<std::mutex> lock = lock_temporaries();
        if (lock.owns_lock()) live_temporaries.reserve(live_temporaries.size() + 1);
        fd = ::open(target.c_str(), flags, 0644);
        if (fd >= 0 && lock.owns_lock()) live_temporaries.push_back(staged.temp_path);
    }
    if (fd < 0) fail_write(path, std::strerror(errno));
    // Registered before writing, so that a failed write still removes the temporary.
    staged_.push_back(staged);
    // A device or FIFO is written for good as it is written, so it waits at the lock as a rename would:
    // once the outputs are abandoned it waits for ever (the process is ending). Not held while writing,
    // which can block on a FIFO's reader.
    if (staged.temp_path.empty()) lock_temporaries();  // taken and released at once
    try {
        write_all(fd, path, content);
        if (!staged.temp_path.empty() && ::fsync(fd) != 0) fail_write(path, std::strerror(errno));
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0) fail_write(path, std::strerror(errno));
    if (staged.temp_path.empty()) {
        const std::unique_lock<std::mutex> lock = lock_temporaries();
        if (lock.owns_lock()) ++outputs_in_place;
    }
}

std::string AtomicOutputs::reserve(const std::string& path) {
    check_output_path(path);
    const Destination destination = destination_of(path);
    if (destination.descriptor >= 0 || destination.through_path) return "";
    Staged staged{destination.replaced, temporary_name(destination.replaced)};
    staged_.reserve(staged_.size() + 1);
    int fd = -1;
    {
        const std::unique_lock<std::mutex> lock = lock_temporaries();
        if (lock.owns_lock()) live_temporaries.reserve(live_temporaries.size() + 1);
        fd = ::open(staged.temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0 && lock.owns_lock()) live_temporaries.push_back(staged.temp_path);
    }
    if (fd < 0) fail_write(path, std::strerror(errno));
    staged_.push_back(staged);
    if (::close(fd) != 0) fail_write(path, std::strerror(errno));
    return staged.temp_path;
}

namespace {

void sync_directory(const std::string& path) {
    const std::string dir = parent_directory(path);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail_write(path, "directory '" + dir + "': " + std::strerror(errno));
    const int synced = ::fsync(fd);
    const int sync_errno = errno;
    ::close(fd);
    // Some file systems cannot sync a directory (EINVAL); their renames are as durable as they get.
    if (synced != 0 && sync_errno != EINVAL) fail_write(path, "directory '" + dir + "': " + std::strerror(sync_errno));
}

}  // namespace

void AtomicOutputs::commit_all() {
    // The lock is taken before signals are held off: a thread that took it to end the process (and will
    // never release it) must find them still able to do so.
    const std::unique_lock<std::mutex> lock = lock_temporaries();
    const DeferredTermination renames_together;  // a signal to end waits until the last rename
    std::vector<std::string> renamed;
    for (Staged& s : staged_) {
        if (s.temp_path.empty()) continue;
        if (::rename(s.temp_path.c_str(), s.final_path.c_str()) != 0) fail_write(s.final_path, std::strerror(errno));
        if (lock.owns_lock()) {
            forget_temporary(s.temp_path);
            ++outputs_in_place;
        }
        s.temp_path.clear();
        renamed.push_back(s.final_path);
    }
    staged_.clear();
    std::vector<std::string> synced;
    for (const std::string& path : renamed) {
        const std::string dir = parent_directory(path);
        if (std::find(synced.begin(), synced.end(), dir) != synced.end()) continue;
        sync_directory(path);
        synced.push_back(dir);
    }
}

void AtomicOutputs::discard_all() noexcept {
    const std::unique_lock<std::mutex> lock = lock_temporaries();
    for (const Staged& s : staged_) {
        if (s.temp_path.empty()) continue;
        ::unlink(s.temp_path.c_str());
        if (lock.owns_lock()) forget_temporary(s.temp_path);
    }
    staged_.clear();
}

void write_file_atomically(const std::string& path, std::string_view content) {
    AtomicOutputs outputs;
    outputs.stage(path, content);
    outputs.commit_all();
}

}  // namespace ledger
