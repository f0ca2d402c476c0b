// Every movement of data between ranks, behind a few named verbs. Records travel as raw bytes of
// trivially copyable structs in one large message per rank pair, never one message per record, and each
// verb counts the bytes it moved for the report. Nothing outside src/mpi calls MPI.
#pragma once

#include <boost/mpi/communicator.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ledger/errors.hpp"

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

    // Collective: returns once every rank has called it, waiting asleep rather than polling. For the ranks
    // that stand by while rank 0 alone works for seconds (database mode's read and write-back): an MPI
    // collective would poll a core the whole time, the core a database server on the same node needs.
    void wait_for_all_asleep();

    // Root gives one buffer per rank; each rank gets its own.
    Bytes scatter_partitions(const std::vector<Bytes>& per_rank_on_root);
    // Each rank gives one buffer; root gets all of them (others get an empty list).
    std::vector<Bytes> gather_to_root(const Bytes& mine);
    // Root's buffer reaches every rank.
    void broadcast_from_root(Bytes& bytes);

    // The order in which a rank's records for the other ranks lie, after its own group, and go out: to
    // rank + 1, rank + 2, ... (mod ranks). At step d every rank sends to rank + d and receives from
    // rank - d, so each step is one send and one receive per rank, and every pair meets exactly once.
    static std::vector<int> send_order(int rank, int ranks);
    // The groups in the order exchange_in_place expects them in a rank's records: its own, then send_order.
    static std::vector<size_t> group_layout(int rank, int ranks);

    // All-to-all of records inside their own vector. `records` holds this rank's own group first, then
    // one group per other rank in send_order; counts[r] is the size of rank r's group. Afterwards it
    // holds the own group, unmoved, followed by what each other rank sent, a sender's records side by
    // side and in the order it sent them; the senders come in the order of the returned counts (records
    // from rank - 1, then rank - 2, ..., mod ranks). Records arrive in chunks into the room the records
    // already sent have left, so no second vector of received records is ever held: the rank's peak is
    // about the larger of what it parsed and what it keeps.
    // Chunks of `chunk_bytes` keep each message far below MPI's 2 GiB count limit; tests use small ones.
    static constexpr uint64_t kExchangeChunkBytes = uint64_t{4} << 20;
    template <class T>
    std::vector<uint64_t> exchange_in_place(std::vector<T>& records, std::span<const uint64_t> counts,
                                            uint64_t chunk_bytes = kExchangeChunkBytes) {
        static_assert(std::is_trivially_copyable_v<T>);
        const size_t own = size_t(counts[size_t(rank())]);
        std::vector<uint64_t> send_bytes(counts.begin(), counts.end());
        uint64_t held = 0;
        for (uint64_t& n : send_bytes) {
            held += n;
            n *= sizeof(T);
        }
        if (held != records.size()) fail(ExitCode::internal, "records to exchange do not match their group counts");
        send_bytes[size_t(rank())] = 0;
        const std::vector<uint64_t> recv_bytes = exchange_counts(send_bytes);
        size_t kept = own;
        for (uint64_t n : recv_bytes) kept += size_t(n / sizeof(T));
        // A rank that keeps more than it parsed grows its vector: within the headroom the parse reserved,
        // that is only fresh pages; past it, one copy.
        if (kept > records.size()) {
            records.reserve(kept);
            records.resize(kept);
        }
        exchange_groups_in_place(reinterpret_cast<char*>(records.data()), own * sizeof(T), held * sizeof(T),
                                 send_bytes, recv_bytes, chunk_bytes);
        records.resize(kept);
        std::vector<uint64_t> received;
        for (int d = 1; d < size(); ++d) received.push_back(recv_bytes[size_t((rank() - d + size()) % size())] / sizeof(T));
        return received;
    }

    // All-to-all of byte buffers of any size: each rank gives one buffer per destination rank and gets
    // one from every source rank, in rank order (its own moved over, not sent). For what is small next to
    // the records (ids, accounts, rejections): one buffer must stay below 2 GiB.
    std::vector<Bytes> exchange_bytes(std::vector<Bytes> per_destination);
    // Each rank gives one buffer; every rank gets all of them, in rank order.
    std::vector<Bytes> all_gather_bytes(const Bytes& mine);
    // The same laid end to end in one buffer, with each rank's size in *sizes: for large buffers, which a
    // copy per rank would touch twice (fresh pages are much of the cost on the machines this runs on).
    Bytes all_gather_joined(const Bytes& mine, std::vector<uint64_t>* sizes);
    // The sum of `mine` over the ranks below this one, and in *total the sum over all ranks.
    uint64_t exclusive_sum(uint64_t mine, uint64_t* total);

    // One piece of a file that several ranks write together: `bytes` at byte `offset`.
    struct FilePiece {
        uint64_t offset;
        std::string_view bytes;
    };
    // Collective: every rank writes its pieces into the existing regular file `path` (MPI-IO, collective
    // writes at explicit offsets), and the file is synced before any rank returns. Throws LedgerError(io)
    // on every rank if any rank failed.
    void write_file_pieces(const std::string& path, std::span<const FilePiece> pieces);

    // Each rank contributes the same number of values; every rank gets all of them, rank after rank.
    std::vector<uint64_t> all_gather(std::span<const uint64_t> mine);

    void max_in_place(int& value);
    void sum_in_place(std::vector<uint64_t>& values);
    void barrier();

    uint64_t bytes_sent() const { return bytes_sent_; }
    uint64_t bytes_received() const { return bytes_received_; }

private:
    std::vector<uint64_t> exchange_counts(const std::vector<uint64_t>& send_bytes);
    void exchange_groups_in_place(char* base, uint64_t own_bytes, uint64_t held_bytes,
                                  const std::vector<uint64_t>& send_bytes, const std::vector<uint64_t>& recv_bytes,
                                  uint64_t chunk_bytes);
    boost::mpi::communicator comm_;
    uint64_t bytes_sent_ = 0;
    uint64_t bytes_received_ = 0;
};

}  // namespace ledger::mpi
