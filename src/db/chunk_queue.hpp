// A bounded hand-over of byte chunks from one thread to another, for a COPY whose rows are made on one
// thread while another sends them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

namespace ledger::db {

// Chunks handed from a thread that makes them to the one that sends them, at most `capacity` waiting.
// Sending blocks until the server has taken most of a chunk, so a single thread leaves the server idle
// while it makes the next one; with two, the making hides behind the sending.
class ChunkQueue {
public:
    explicit ChunkQueue(size_t capacity) : capacity_(capacity) {}

    // False once the receiver has stopped: the maker should stop too.
    bool push(std::string chunk) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return chunks_.size() < capacity_ || stopped_; });
        if (stopped_) return false;
        chunks_.push_back(std::move(chunk));
        changed_.notify_all();
        return true;
    }
    // The maker is done (or failed: `error`).
    void finish(std::exception_ptr error = nullptr) {
        std::lock_guard lock(mutex_);
        finished_ = true;
        error_ = error;
        changed_.notify_all();
    }
    // The next chunk; nullopt when the maker is done. Rethrows the maker's failure.
    std::optional<std::string> pop() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !chunks_.empty() || finished_; });
        if (!chunks_.empty()) {
            std::string chunk = std::move(chunks_.front());
            chunks_.pop_front();
            changed_.notify_all();
            return chunk;
        }
        if (error_) std::rethrow_exception(error_);
        return std::nullopt;
    }
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::string> chunks_;
    size_t capacity_;
    bool finished_ = false, stopped_ = false;
    std::exception_ptr error_;
};

}  // namespace ledger::db
