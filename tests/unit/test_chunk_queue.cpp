// The hand-over between the thread that makes a COPY's rows and the one that sends them
// (src/db/chunk_queue.hpp): every chunk arrives once and in order, the maker waits when the queue is
// full, a failure of the maker reaches the sender, and a sender that stops releases the maker.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "db/chunk_queue.hpp"

using ledger::db::ChunkQueue;

TEST(ChunkQueue, EveryChunkArrivesOnceInOrder) {
    ChunkQueue queue(2);
    std::thread maker([&] {
        for (int i = 0; i < 1000; ++i) ASSERT_TRUE(queue.push(std::to_string(i)));
        queue.finish();
    });
    std::vector<std::string> got;
    while (auto chunk = queue.pop()) got.push_back(*chunk);
    maker.join();
    ASSERT_EQ(got.size(), 1000u);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(got[size_t(i)], std::to_string(i));
}

TEST(ChunkQueue, TheMakerWaitsWhileTheQueueIsFull) {
    ChunkQueue queue(2);
    std::atomic<int> pushed{0};
    std::thread maker([&] {
        for (int i = 0; i < 3; ++i) {
            queue.push("x");
            ++pushed;
        }
        queue.finish();
    });
    // Two go in at once (however slowly the maker is scheduled); the third waits for room.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (pushed.load() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(pushed.load(), 2);
    int popped = 0;
    while (queue.pop()) ++popped;
    maker.join();
    EXPECT_EQ(popped, 3);
}

TEST(ChunkQueue, TheMakersFailureReachesTheSenderAfterItsChunks) {
    ChunkQueue queue(4);
    queue.push("first");
    queue.finish(std::make_exception_ptr(std::runtime_error("short row")));
    EXPECT_EQ(queue.pop().value_or(""), "first");
    EXPECT_THROW(queue.pop(), std::runtime_error);
}

TEST(ChunkQueue, ASenderThatStopsReleasesAWaitingMaker) {
    ChunkQueue queue(1);
    std::atomic<bool> refused{false};
    std::thread maker([&] {
        queue.push("a");
        refused = !queue.push("b");  // waits: the queue is full, until the sender stops
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    queue.stop();
    maker.join();
    EXPECT_TRUE(refused.load());
}
