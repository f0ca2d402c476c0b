// SHA-256 through OpenSSL's EVP interface (libcrypto). Hand-written SHA-256 would be code to get right
// and keep fast; libcrypto is already in the process, since Debian's libpq links it for TLS, and it uses
// the CPU's SHA instructions where there are some (about 1.5 GB/s here, so hashing a day's files costs
// well under a second per GB).
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <thread>

#include "database.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_digest.hpp"

namespace ledger::db {
namespace {

struct DigestFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Digest = std::unique_ptr<EVP_MD_CTX, DigestFree>;

Digest new_sha256() {
    Digest d(EVP_MD_CTX_new());
    if (!d || EVP_DigestInit_ex(d.get(), EVP_sha256(), nullptr) != 1) fail(ExitCode::internal, "SHA-256 unavailable");
    return d;
}

std::string hex_of(EVP_MD_CTX* d) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(d, out, &size) != 1) fail(ExitCode::internal, "SHA-256 failed");
    return to_hex(std::span<const unsigned char>(out, size));
}

}  // namespace

TransactionsDigest digest_files(const std::vector<std::string>& paths, const std::function<void()>& between_blocks) {
    TransactionsDigest result;
    const Digest all = new_sha256();
    std::vector<char> buffer(size_t{4} << 20);
    for (const std::string& path : paths) {
        const Digest one = new_sha256();
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail(ExitCode::io, "cannot read input '" + path + "': " + std::strerror(errno));
        for (;;) {
            try {
                between_blocks();
            } catch (...) {
                ::close(fd);
                throw;
            }
            const ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                const std::string why = std::strerror(errno);
                ::close(fd);
                fail(ExitCode::io, "cannot read input '" + path + "': " + why);
            }
            if (n == 0) break;
            // With one file the two digests are the same: hashed once.
            if (paths.size() > 1) EVP_DigestUpdate(all.get(), buffer.data(), size_t(n));
            EVP_DigestUpdate(one.get(), buffer.data(), size_t(n));
        }
        ::close(fd);
        result.per_file.push_back(hex_of(one.get()));
    }
    result.all_files = paths.size() == 1 ? result.per_file[0] : hex_of(all.get());
    return result;
}

namespace {

// Thrown from between_blocks to end a hashing the hasher's owner no longer wants.
struct Stopped {};

}  // namespace

struct TransactionsHasher::State {
    std::mutex mutex;
    std::condition_variable changed;
    bool held = false, stopping = false;
    std::shared_future<TransactionsDigest> digest;
    std::thread thread;
};

TransactionsHasher::TransactionsHasher(std::vector<std::string> paths, bool start_held)
    : state_(std::make_unique<State>()) {
    State& state = *state_;
    state.held = start_held;
    std::promise<TransactionsDigest> promise;
    state.digest = promise.get_future().share();
    state.thread = std::thread([&state, paths = std::move(paths), promise = std::move(promise)]() mutable {
        try {
            promise.set_value(digest_files(paths, [&state] {
                std::unique_lock<std::mutex> lock(state.mutex);
                state.changed.wait(lock, [&state] { return !state.held || state.stopping; });
                if (state.stopping) throw Stopped{};
            }));
        } catch (const Stopped&) {
            promise.set_exception(std::make_exception_ptr(LedgerError(ExitCode::internal, "hashing stopped")));
        } catch (...) {
            promise.set_exception(std::current_exception());
        }
    });
}

TransactionsHasher::~TransactionsHasher() {
    {
        const std::lock_guard<std::mutex> lock(state_->mutex);
        state_->stopping = true;
    }
    state_->changed.notify_all();
    state_->thread.join();
}

void TransactionsHasher::hold() {
    const std::lock_guard<std::mutex> lock(state_->mutex);
    state_->held = true;
}

void TransactionsHasher::go_on() {
    {
        const std::lock_guard<std::mutex> lock(state_->mutex);
        state_->held = false;
    }
    state_->changed.notify_all();
}

std::optional<TransactionsDigest> TransactionsHasher::done() const {
    if (state_->digest.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return std::nullopt;
    return state_->digest.get();
}

TransactionsDigest TransactionsHasher::result() {
    go_on();
    return state_->digest.get();
}

}  // namespace ledger::db
