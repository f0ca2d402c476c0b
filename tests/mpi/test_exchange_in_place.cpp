// Exchange::exchange_in_place against what an all-to-all must deliver, at whatever rank count mpiexec
// starts (CTest runs 1 to 4). Every rank can generate every rank's records from the same seed, so each
// checks on its own that it kept its group untouched and received exactly the records meant for it.
// Small chunks make one step take many rounds, so that incoming chunks have to wait for room, and the
// uneven shapes make some ranks keep far more than they parsed (the vector must grow).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "ledger/mpi/exchange.hpp"

namespace {

struct Record {
    uint32_t source, destination;
    uint64_t serial;
    char payload[20];  // an odd size: chunks then end inside records
    friend bool operator==(const Record& a, const Record& b) {
        return std::tie(a.source, a.destination, a.serial) == std::tie(b.source, b.destination, b.serial) &&
               std::equal(std::begin(a.payload), std::end(a.payload), std::begin(b.payload));
    }
};

Record make_record(uint32_t source, uint32_t destination, uint64_t serial) {
    Record r{source, destination, serial, {}};
    for (size_t i = 0; i < sizeof r.payload; ++i) r.payload[i] = char((serial * 31 + i * 7 + source) & 0x7F);
    return r;
}

// How many records `source` sends to `destination` in one shape; the same on every rank.
using Shape = uint64_t (*)(int source, int destination, int ranks, uint64_t seed);

uint64_t random_counts(int source, int destination, int, uint64_t seed) {
    std::mt19937_64 rng(seed * 1000003 + uint64_t(source) * 101 + uint64_t(destination));
    return rng() % 5000;
}
// Everyone sends everything to rank 0: it keeps far more than it parsed, the others keep nothing.
uint64_t all_to_rank_zero(int source, int destination, int, uint64_t seed) {
    return destination == 0 ? 3000 + seed % 7 + uint64_t(source) : 0;
}
// Rank 0 parsed everything and keeps nothing.
uint64_t all_from_rank_zero(int source, int destination, int, uint64_t seed) {
    return source == 0 && destination != 0 ? 2500 + seed % 11 * uint64_t(destination) : (source == destination ? 10 : 0);
}
// Nothing moves at all.
uint64_t own_only(int source, int destination, int, uint64_t) { return source == destination ? 777 : 0; }

std::vector<Record> grouped_records(int rank, int ranks, Shape shape, uint64_t seed, std::vector<uint64_t>& counts) {
    counts.assign(size_t(ranks), 0);
    std::vector<Record> records;
    for (const size_t destination : ledger::mpi::Exchange::group_layout(rank, ranks)) {
        counts[destination] = shape(rank, int(destination), ranks, seed);
        for (uint64_t i = 0; i < counts[destination]; ++i)
            records.push_back(make_record(uint32_t(rank), uint32_t(destination), i));
    }
    return records;
}

void check_shape(Shape shape, uint64_t seed, uint64_t chunk_bytes) {
    boost::mpi::communicator world;
    ledger::mpi::Exchange exchange(world);
    const int rank = exchange.rank(), ranks = exchange.size();
    std::vector<uint64_t> counts;
    std::vector<Record> records = grouped_records(rank, ranks, shape, seed, counts);
    const uint64_t own = counts[size_t(rank)];
    const std::vector<uint64_t> received_counts = exchange.exchange_in_place(records, counts, chunk_bytes);

    // Each sender's records side by side and in the order sent, from rank - 1, rank - 2, ...: the
    // parallel ingest sorts them before sending and the replay merges them as these runs.
    std::vector<Record> expected_received;
    std::vector<uint64_t> expected_counts;
    for (int d = 1; d < ranks; ++d) {
        const int source = (rank - d + ranks) % ranks;
        const uint64_t n = shape(source, rank, ranks, seed);
        expected_counts.push_back(n);
        for (uint64_t i = 0; i < n; ++i) expected_received.push_back(make_record(uint32_t(source), uint32_t(rank), i));
    }
    EXPECT_EQ(received_counts, expected_counts) << "rank " << rank;
    ASSERT_EQ(records.size(), own + expected_received.size()) << "rank " << rank;
    for (uint64_t i = 0; i < own; ++i)
        ASSERT_EQ(records[size_t(i)], make_record(uint32_t(rank), uint32_t(rank), i)) << "own record " << i << " moved";
    const std::vector<Record> received(records.begin() + std::ptrdiff_t(own), records.end());
    EXPECT_TRUE(received == expected_received) << "rank " << rank << " received the wrong records or order";
}

TEST(ExchangeInPlace, RandomCountsInSmallChunks) {
    for (uint64_t seed = 1; seed <= 6; ++seed) check_shape(random_counts, seed, 4096 + seed * 1000);
}

TEST(ExchangeInPlace, RandomCountsInOneChunk) { check_shape(random_counts, 9, ledger::mpi::Exchange::kExchangeChunkBytes); }

TEST(ExchangeInPlace, OneRankReceivesEverything) {
    check_shape(all_to_rank_zero, 3, 1000);
    check_shape(all_to_rank_zero, 4, ledger::mpi::Exchange::kExchangeChunkBytes);
}

TEST(ExchangeInPlace, OneRankSendsEverything) { check_shape(all_from_rank_zero, 5, 3333); }

TEST(ExchangeInPlace, NothingMoves) { check_shape(own_only, 1, 512); }

TEST(ExchangeInPlace, CountsThatDoNotMatchTheRecordsAreRefused) {
    boost::mpi::communicator world;
    ledger::mpi::Exchange exchange(world);
    std::vector<Record> records(3);
    std::vector<uint64_t> counts(size_t(exchange.size()), 0);
    counts[size_t(exchange.rank())] = 2;  // one record too few: refused before any message is sent
    EXPECT_THROW(exchange.exchange_in_place(records, counts), ledger::LedgerError);
}

TEST(ExchangeInPlace, SendOrderVisitsEveryOtherRankOnce) {
    for (int ranks = 1; ranks <= 6; ++ranks)
        for (int rank = 0; rank < ranks; ++rank) {
            std::vector<int> order = ledger::mpi::Exchange::send_order(rank, ranks);
            ASSERT_EQ(order.size(), size_t(ranks - 1));
            std::vector<bool> seen(size_t(ranks), false);
            for (const int r : order) {
                EXPECT_NE(r, rank);
                EXPECT_FALSE(seen[size_t(r)]);
                seen[size_t(r)] = true;
            }
        }
}

}  // namespace

int main(int argc, char** argv) {
    boost::mpi::environment env(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
