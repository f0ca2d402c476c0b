// Every movement of data between ranks, behind a few named verbs. Records travel as raw bytes of
// trivially copyable structs in one large message per rank pair, never one message per record, and each
// verb counts the bytes it moved for the report. Nothing outside src/mpi calls MPI.
#pragma once

#include <boost/mpi/communicator.hpp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "ledger/errors.hpp"
#include "ledger/prefault.hpp"

namespace ledger::mpi {

using Bytes = std::vector<char>;

template <class T>
void append_bytes(Bytes& out, std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t at = out.size();
    out.resize(at + items.size_bytes());
    if (!items.empty()) std::memcpy(out.data() + at, items.data(), items.size_bytes());
}

template <class T>
void append_value(Bytes& out, const T& value) {
    append_bytes(out, std::span<const T>(&value, 1));
}

// Reads back what append_bytes/append_value wrote, in the same order.
class ByteReader {
public:
    explicit ByteReader(std::span<const char> bytes) : bytes_(bytes) {}
    template <class T>
    T value() {
        T out;
        take(&out, sizeof(T));
        return out;
    }
    template <class T>
    std::vector<T> items(size_t count) {
        std::vector<T> out(count);
        take(out.data(), count * sizeof(T));
        return out;
    }
    void read_into(char* dst, size_t n) { take(dst, n); }
    bool done() const { return at_ == bytes_.size(); }

private:
    void take(void* dst, size_t n);
    std::span<const char> bytes_;
    size_t at_ = 0;
};

// A failure as all ranks agree on it: the one earliest in input order (then lowest rank) wins, so the
// message is the same one a single-rank run would print.
struct Failure {
    ExitCode code = ExitCode::internal;
    std::string message;
    uint64_t order = UINT64_MAX;  // input order of the failing row, or UINT64_MAX when not about a row
    bool order_is_position = false;  // order is a transfer's position; rank 0 turns it into file:line
};

class Exchange {
public:
    explicit Exchange(const boost::mpi::communicator& comm) : comm_(comm) {}

    int rank() const { return comm_.rank(); }
    int size() const { return comm_.size(); }
    bool is_root() const { return comm_.rank() == 0; }

    // Collective. Every rank passes its own failure, if any; all get the agreed one back.
    std::optional<Failure> agree_on_failure(const std::optional<Failure>& mine);

    // Root gives one buffer per rank; each rank gets its own.
    Bytes scatter_partitions(const std::vector<Bytes>& per_rank_on_root);
    // Each rank gives one buffer; root gets all of them (others get an empty list).
    std::vector<Bytes> gather_to_root(const Bytes& mine);
    // Root's buffer reaches every rank.
    void broadcast_from_root(Bytes& bytes);

    // Typed all-to-all of records already grouped by destination: `counts[r]` items go to rank r. Returns
    // the items received, grouped by source rank, and how many came from each.
    template <class T>
    std::vector<T> exchange_by_owner(std::span<const T> grouped, std::span<const uint64_t> counts,
                                     std::vector<uint64_t>* received_counts) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::vector<uint64_t> send_bytes(counts.begin(), counts.end());
        for (uint64_t& n : send_bytes) n *= sizeof(T);
        const std::vector<uint64_t> recv_bytes = exchange_counts(send_bytes);
        uint64_t total = 0;
        received_counts->clear();
        for (uint64_t n : recv_bytes) {
            received_counts->push_back(n / sizeof(T));
            total += n;
        }
        // Hundreds of MiB of fresh pages on a large run: mapped in bulk (prefault.hpp) before being filled.
        std::vector<T> received;
        reserve_prefaulted(received, size_t(total / sizeof(T)));
        received.resize(size_t(total / sizeof(T)));
        exchange_payload(reinterpret_cast<const char*>(grouped.data()), send_bytes,
                         reinterpret_cast<char*>(received.data()), recv_bytes);
        return received;
    }

    // Each rank contributes the same number of values; every rank gets all of them, rank after rank.
    std::vector<uint64_t> all_gather(std::span<const uint64_t> mine);

    void max_in_place(int& value);
    void sum_in_place(std::vector<uint64_t>& values);
    void barrier();

    uint64_t bytes_sent() const { return bytes_sent_; }
    uint64_t bytes_received() const { return bytes_received_; }

private:
    std::vector<uint64_t> exchange_counts(const std::vector<uint64_t>& send_bytes);
    void exchange_payload(const char* send, const std::vector<uint64_t>& send_bytes, char* recv,
                          const std::vector<uint64_t>& recv_bytes);
    boost::mpi::communicator comm_;
    uint64_t bytes_sent_ = 0;
    uint64_t bytes_received_ = 0;
};

}  // namespace ledger::mpi
