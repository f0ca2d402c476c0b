#include "ledger/mpi/exchange.hpp"

#include <mpi.h>

#include <boost/mpi/collectives.hpp>
#include <algorithm>
#include <chrono>
#include <climits>
#include <numeric>
#include <thread>

#include "ledger/prefault.hpp"

namespace ledger::mpi {
namespace {

// MPI counts are ints. A single buffer past 2 GiB would need derived types; say so plainly instead.
int checked_count(size_t bytes) {
    if (bytes > size_t(INT_MAX))
        fail(ExitCode::internal, "one rank's share exceeds 2 GiB in a single message; run with more ranks");
    return int(bytes);
}

std::vector<int> displacements(const std::vector<int>& counts) {
    std::vector<int> displs(counts.size(), 0);
    size_t total = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        displs[i] = checked_count(total);
        total += size_t(counts[i]);
    }
    checked_count(total);
    return displs;
}

}  // namespace

void ByteReader::take(void* dst, size_t n) {
    if (n > bytes_.size() - at_) fail(ExitCode::internal, "a message between ranks is shorter than expected");
    if (n) std::memcpy(dst, bytes_.data() + at_, n);
    at_ += n;
}

std::optional<Failure> Exchange::agree_on_failure(const std::optional<Failure>& mine) {
    // Everyone learns every rank's (order, code); the winner then broadcasts its message.
    struct Claim {
        uint64_t order;
        int code;  // 0 = no failure
        int order_is_position;
    };
    const Claim my_claim{mine ? mine->order : UINT64_MAX, mine ? int(mine->code) : 0,
                         mine && mine->order_is_position ? 1 : 0};
    std::vector<Claim> claims(static_cast<size_t>(size()));
    MPI_Allgather(&my_claim, sizeof(Claim), MPI_BYTE, claims.data(), sizeof(Claim), MPI_BYTE, comm_);
    int winner = -1;
    for (int r = 0; r < size(); ++r) {
        const Claim& c = claims[size_t(r)];
        if (c.code == 0) continue;
        if (winner < 0 || c.order < claims[size_t(winner)].order) winner = r;
    }
    if (winner < 0) return std::nullopt;
    Failure agreed;
    agreed.code = ExitCode(claims[size_t(winner)].code);
    agreed.order = claims[size_t(winner)].order;
    agreed.order_is_position = claims[size_t(winner)].order_is_position != 0;
    if (rank() == winner) agreed.message = mine->message;
    boost::mpi::broadcast(comm_, agreed.message, winner);
    return agreed;
}

void Exchange::wait_for_all_asleep() {
    MPI_Request request;
    MPI_Ibarrier(comm_, &request);
    // Rank 0 arrives last by construction; the others sleep between tests, longer as the wait goes on (at
    // most 2 ms late, against waits of seconds).
    auto nap = std::chrono::microseconds(50);
    for (int done = 0;;) {
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done) return;
        std::this_thread::sleep_for(nap);
        nap = std::min(nap * 2, std::chrono::microseconds(2000));
    }
}

Bytes Exchange::scatter_partitions(const std::vector<Bytes>& per_rank_on_root) {
    std::vector<int> counts(size_t(size()), 0);
    if (is_root())
        for (int r = 0; r < size(); ++r) counts[size_t(r)] = checked_count(per_rank_on_root[size_t(r)].size());
    int my_count = 0;
    MPI_Scatter(counts.data(), 1, MPI_INT, &my_count, 1, MPI_INT, 0, comm_);
    Bytes flat;
    std::vector<int> displs;
    if (is_root()) {
        displs = displacements(counts);
        flat.reserve(size_t(displs.back()) + size_t(counts.back()));
        for (const Bytes& b : per_rank_on_root) flat.insert(flat.end(), b.begin(), b.end());
        bytes_sent_ += flat.size() - size_t(counts[0]);
    }
    Bytes mine(static_cast<size_t>(my_count));
    MPI_Scatterv(flat.data(), counts.data(), displs.data(), MPI_BYTE, mine.data(), my_count, MPI_BYTE, 0, comm_);
    if (!is_root()) bytes_received_ += mine.size();
    return mine;
}

std::vector<Bytes> Exchange::gather_to_root(const Bytes& mine) {
    const int my_count = checked_count(mine.size());
    std::vector<int> counts(size_t(size()), 0);
    MPI_Gather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm_);
    Bytes flat;
    std::vector<int> displs;
    if (is_root()) {
        displs = displacements(counts);
        flat.resize(size_t(displs.back()) + size_t(counts.back()));
    }
    MPI_Gatherv(mine.data(), my_count, MPI_BYTE, flat.data(), counts.data(), displs.data(), MPI_BYTE, 0, comm_);
    std::vector<Bytes> out;
    if (!is_root()) {
        bytes_sent_ += mine.size();
        return out;
    }
    for (int r = 0; r < size(); ++r) {
        const auto begin = flat.begin() + displs[size_t(r)];
        out.emplace_back(begin, begin + counts[size_t(r)]);
        if (r != 0) bytes_received_ += size_t(counts[size_t(r)]);
    }
    return out;
}

void Exchange::broadcast_from_root(Bytes& bytes) {
    uint64_t size64 = bytes.size();
    MPI_Bcast(&size64, 1, MPI_UINT64_T, 0, comm_);
    bytes.resize(size_t(size64));
    MPI_Bcast(bytes.data(), checked_count(bytes.size()), MPI_BYTE, 0, comm_);
    if (is_root()) bytes_sent_ += bytes.size() * size_t(size() - 1);
    else bytes_received_ += bytes.size();
}

std::vector<uint64_t> Exchange::exchange_counts(const std::vector<uint64_t>& send_bytes) {
    std::vector<uint64_t> recv_bytes(send_bytes.size());
    MPI_Alltoall(send_bytes.data(), 1, MPI_UINT64_T, recv_bytes.data(), 1, MPI_UINT64_T, comm_);
    return recv_bytes;
}

std::vector<int> Exchange::send_order(int rank, int ranks) {
    std::vector<int> order;
    for (int d = 1; d < ranks; ++d) order.push_back((rank + d) % ranks);
    return order;
}

std::vector<size_t> Exchange::group_layout(int rank, int ranks) {
    std::vector<size_t> layout{size_t(rank)};
    for (const int r : send_order(rank, ranks)) layout.push_back(size_t(r));
    return layout;
}

// Step by step (see send_order), each step in chunks: a chunk goes out from the front of the records
// not yet sent while one comes in. An incoming chunk belongs right after the records already in place;
// it lands there when that room has been sent away or lies past what the rank held, and otherwise waits
// in a buffer of its own until the end. When every rank sends about what it receives, nothing waits.
void Exchange::exchange_groups_in_place(char* base, uint64_t own_bytes, uint64_t held_bytes,
                                        const std::vector<uint64_t>& send_bytes,
                                        const std::vector<uint64_t>& recv_bytes, uint64_t chunk_bytes) {
    constexpr int kTag = 17;
    if (chunk_bytes == 0 || chunk_bytes > uint64_t(INT_MAX)) fail(ExitCode::internal, "exchange chunk size out of range");
    struct Waiting {
        uint64_t at;
        Bytes bytes;
    };
    std::vector<Waiting> waiting;
    Bytes staging;
    uint64_t send_at = own_bytes, recv_at = own_bytes;
    for (int d = 1; d < size(); ++d) {
        const int to = (rank() + d) % size(), from = (rank() - d + size()) % size();
        const uint64_t send_end = send_at + send_bytes[size_t(to)];
        const uint64_t recv_end = recv_at + recv_bytes[size_t(from)];
        bytes_sent_ += send_bytes[size_t(to)];
        bytes_received_ += recv_bytes[size_t(from)];
        while (send_at < send_end || recv_at < recv_end) {
            const uint64_t out = std::min(chunk_bytes, send_end - send_at), in = std::min(chunk_bytes, recv_end - recv_at);
            const bool room_now = recv_at + in <= send_at || recv_at >= held_bytes;
            if (!room_now && staging.size() < in) staging.resize(size_t(in));
            char* const into = room_now ? base + recv_at : staging.data();
            MPI_Request requests[2];
            int pending = 0;
            if (in) MPI_Irecv(into, int(in), MPI_BYTE, from, kTag, comm_, &requests[pending++]);
            if (out) MPI_Isend(base + send_at, int(out), MPI_BYTE, to, kTag, comm_, &requests[pending++]);
            MPI_Waitall(pending, requests, MPI_STATUSES_IGNORE);
            send_at += out;
            if (in && !room_now) {
                if (recv_at + in <= send_at) std::memcpy(base + recv_at, staging.data(), size_t(in));
                else waiting.push_back({recv_at, Bytes(staging.begin(), staging.begin() + std::ptrdiff_t(in))});
            }
            recv_at += in;
        }
    }
    // Every record has gone out by now, so all the room is free.
    for (const Waiting& w : waiting) std::memcpy(base + w.at, w.bytes.data(), w.bytes.size());
}

std::vector<Bytes> Exchange::exchange_bytes(std::vector<Bytes> per_destination) {
    constexpr int kTag = 23;
    const size_t ranks = size_t(size()), me = size_t(rank());
    if (per_destination.size() != ranks) fail(ExitCode::internal, "exchange_bytes needs one buffer per rank");
    std::vector<uint64_t> send_sizes(ranks);
    for (size_t r = 0; r < ranks; ++r) send_sizes[r] = r == me ? 0 : per_destination[r].size();
    const std::vector<uint64_t> recv_sizes = exchange_counts(send_sizes);
    // Straight from each buffer into its own, with no flat copy on either side: these buffers are often
    // hundreds of MiB (every account of a share), and a rank's own buffer is not copied at all.
    std::vector<Bytes> received(ranks);
    std::vector<MPI_Request> requests;
    for (size_t r = 0; r < ranks; ++r) {
        if (r == me || recv_sizes[r] == 0) continue;
        received[r].resize(size_t(recv_sizes[r]));
        requests.emplace_back();
        MPI_Irecv(received[r].data(), checked_count(received[r].size()), MPI_BYTE, int(r), kTag, comm_, &requests.back());
        bytes_received_ += received[r].size();
    }
    for (size_t r = 0; r < ranks; ++r) {
        if (r == me || send_sizes[r] == 0) continue;
        requests.emplace_back();
        MPI_Isend(per_destination[r].data(), checked_count(per_destination[r].size()), MPI_BYTE, int(r), kTag, comm_,
                  &requests.back());
        bytes_sent_ += per_destination[r].size();
    }
    MPI_Waitall(int(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    received[me] = std::move(per_destination[me]);
    return received;
}

Bytes Exchange::all_gather_joined(const Bytes& mine, std::vector<uint64_t>* sizes) {
    const int my_count = checked_count(mine.size());
    std::vector<int> counts(size_t(size()), 0);
    MPI_Allgather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm_);
    const std::vector<int> displs = displacements(counts);
    Bytes joined;
    reserve_huge(joined, size_t(displs.back()) + size_t(counts.back()));
    joined.resize(size_t(displs.back()) + size_t(counts.back()));
    MPI_Allgatherv(mine.data(), my_count, MPI_BYTE, joined.data(), counts.data(), displs.data(), MPI_BYTE, comm_);
    bytes_sent_ += mine.size() * size_t(size() - 1);
    bytes_received_ += joined.size() - mine.size();
    sizes->assign(counts.begin(), counts.end());
    return joined;
}

std::vector<Bytes> Exchange::all_gather_bytes(const Bytes& mine) {
    std::vector<uint64_t> sizes;
    const Bytes joined = all_gather_joined(mine, &sizes);
    std::vector<Bytes> out;
    size_t at = 0;
    for (const uint64_t n : sizes) {
        out.emplace_back(joined.begin() + ptrdiff_t(at), joined.begin() + ptrdiff_t(at + n));
        at += size_t(n);
    }
    return out;
}

uint64_t Exchange::exclusive_sum(uint64_t mine, uint64_t* total) {
    const uint64_t value[1] = {mine};
    const std::vector<uint64_t> all = all_gather(value);
    uint64_t before = 0, sum = 0;
    for (int r = 0; r < size(); ++r) {
        if (r < rank()) before += all[size_t(r)];
        sum += all[size_t(r)];
    }
    *total = sum;
    return before;
}

std::vector<uint64_t> Exchange::all_gather(std::span<const uint64_t> mine) {
    std::vector<uint64_t> all(mine.size() * static_cast<size_t>(size()));
    const int n = checked_count(mine.size());
    MPI_Allgather(mine.data(), n, MPI_UINT64_T, all.data(), n, MPI_UINT64_T, comm_);
    return all;
}

void Exchange::max_in_place(int& value) {
    MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MAX, comm_);
}

void Exchange::sum_in_place(std::vector<uint64_t>& values) {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), checked_count(values.size()), MPI_UINT64_T, MPI_SUM, comm_);
}

void Exchange::barrier() { comm_.barrier(); }

}  // namespace ledger::mpi
