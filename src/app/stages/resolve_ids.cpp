#include "resolve_ids.hpp"

#include <optional>

#include "ledger/records.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// An id travels as its length (at most kMaxIdBytes) and its bytes.
void append_id(mpi::Bytes& out, std::string_view id) {
    mpi::append_value(out, uint8_t(id.size()));
    mpi::append_bytes(out, std::span<const char>(id.data(), id.size()));
}

std::string_view read_id(mpi::ByteReader& in, std::string& buffer) {
    buffer.resize(in.value<uint8_t>());
    in.read_into(buffer.data(), buffer.size());
    return buffer;
}

std::vector<uint32_t> read_u32s(std::span<const char> bytes) {
    mpi::ByteReader in(bytes);
    std::vector<uint32_t> values = in.items<uint32_t>(bytes.size() / sizeof(uint32_t));
    if (!in.done()) fail(ExitCode::internal, "a directory reply between ranks has a partial value");
    return values;
}

// The first bad row of the accounts file in this share, as the error a sequential read would stop at.
std::optional<LedgerError> first_bad_row(const AccountShare& share) {
    if (share.bad.rows().empty()) return std::nullopt;
    const BadRow& row = share.bad.rows().front();  // a share's rows are read in file order
    return LedgerError(ExitCode::bad_input, bad_row_message(row.file, row.line, row.error, row.raw), row.line);
}

}  // namespace

int home_rank_of(std::string_view id, int ranks) {
    // FNV-1a, written out rather than std::hash: every rank of a job must agree, and a job's ranks may
    // run builds linked against different C++ libraries.
    uint64_t hash = 0xcbf29ce484222325u;
    for (const char c : id) hash = (hash ^ uint8_t(c)) * 0x100000001b3u;
    return int(hash % uint64_t(ranks));
}

int AccountDirectory::home_of(std::string_view id) const {
    if (by_number_) return int((*canonical_number(id) - number_base_) % uint64_t(ranks_));
    return home_rank_of(id, ranks_);
}

AccountDirectory AccountDirectory::build(const AccountShare& share, const std::string& accounts_path,
                                         BadRowPolicy policy, mpi::Exchange& exchange) {
    AccountDirectory directory;
    directory.ranks_ = exchange.size();
    directory.by_number_ = share.ids_are_numbers;
    directory.number_base_ = share.number_base;
    std::vector<mpi::Bytes> to_home(static_cast<size_t>(directory.ranks_));
    for (size_t i = 0; i < share.table.size(); ++i) {
        mpi::Bytes& out = to_home[size_t(directory.home_of(share.table.ids[i]))];
        mpi::append_value(out, share.country[i]);
        mpi::append_value(out, share.table.line[i]);
        if (directory.by_number_) mpi::append_value(out, uint32_t(*canonical_number(share.table.ids[i]) - share.number_base));
        else append_id(out, share.table.ids[i]);
    }
    std::vector<mpi::Bytes> received = exchange.exchange_bytes(std::move(to_home));
    step(exchange, [&] {
        // Sources in rank order, each in its file order: the home's accounts are in file order too, so
        // the first repeat found here is the earliest of any id homed here, as a sequential read finds it.
        AccountTable& table = directory.table_;
        std::optional<LedgerError> earliest = policy == BadRowPolicy::fail ? first_bad_row(share) : std::nullopt;
        std::optional<LedgerError> duplicate;
        if (directory.by_number_)
            directory.row_of_key_.assign((share.numbers + uint64_t(directory.ranks_) - 1) / uint64_t(directory.ranks_),
                                         kUnknownAccount);
        std::string id;
        for (mpi::Bytes& bytes : received) {
            mpi::ByteReader in(bytes);
            uint32_t rows = 0;
            for (; !in.done(); ++rows) {
                const uint32_t row = uint32_t(table.country.size());
                table.country.push_back(in.value<uint32_t>());
                table.line.push_back(in.value<uint64_t>());
                if (!directory.by_number_) {
                    table.ids.emplace_back(read_id(in, id));
                    continue;
                }
                const uint32_t key = in.value<uint32_t>();
                uint32_t& found = directory.row_of_key_[key / uint32_t(directory.ranks_)];
                if (found == kUnknownAccount) {
                    found = row;
                } else if (!duplicate) {
                    duplicate = LedgerError(ExitCode::bad_input,
                                            accounts_path + ":" + std::to_string(table.line[row]) + ": duplicate account '" +
                                                std::to_string(share.number_base + key) + "', first defined at line " +
                                                std::to_string(table.line[found]),
                                            table.line[row]);
                }
            }
            directory.rows_from_.push_back(rows);
            mpi::Bytes().swap(bytes);
        }
        if (!directory.by_number_) {
            try {
                table.build_hash_index(accounts_path);
            } catch (const LedgerError& e) {
                duplicate = e;
            }
        }
        if (duplicate && (!earliest || duplicate->order() < earliest->order())) earliest = duplicate;
        if (earliest) throw *earliest;
    });
    return directory;
}

std::vector<uint32_t> AccountDirectory::resolve_countries(const IdDictionary& ids, mpi::Exchange& exchange) {
    asked_.assign(size_t(ranks_), {});
    std::vector<mpi::Bytes> questions(static_cast<size_t>(ranks_));
    ids.for_each_id([&](uint32_t key, std::string_view id) {
        // Numbered, the dictionary's key is the id's value less the base, as the directory's.
        const size_t home = by_number_ ? size_t(key % uint32_t(ranks_)) : size_t(home_rank_of(id, ranks_));
        asked_[home].push_back(key);
        if (by_number_) mpi::append_value(questions[home], key);
        else append_id(questions[home], id);
    });
    const std::vector<mpi::Bytes> asked_here = exchange.exchange_bytes(std::move(questions));
    found_.assign(size_t(ranks_), {});
    std::vector<mpi::Bytes> answers(static_cast<size_t>(ranks_));
    std::string id;
    for (size_t source = 0; source < asked_here.size(); ++source) {
        mpi::ByteReader in(asked_here[source]);
        while (!in.done()) {
            uint32_t row = kUnknownAccount;
            if (by_number_) row = row_of_key_[in.value<uint32_t>() / uint32_t(ranks_)];
            else row = table_.find(read_id(in, id)).value_or(kUnknownAccount);
            found_[source].push_back(row);
            mpi::append_value(answers[source], row != kUnknownAccount ? table_.country[row] : kUnknownAccount);
        }
    }
    const std::vector<mpi::Bytes> replies = exchange.exchange_bytes(std::move(answers));
    std::vector<uint32_t> country(ids.key_count(), kUnknownAccount);
    for (size_t home = 0; home < replies.size(); ++home) {
        const std::vector<uint32_t> countries = read_u32s(replies[home]);
        if (countries.size() != asked_[home].size()) fail(ExitCode::internal, "a directory reply does not match its questions");
        for (size_t q = 0; q < countries.size(); ++q) country[asked_[home][q]] = countries[q];
    }
    return country;
}

std::vector<uint32_t> AccountDirectory::resolve_slots(const AccountShare& share, std::span<const uint32_t> share_slots,
                                                      size_t key_count, mpi::Exchange& exchange) {
    // The homes learn their accounts' places, sent in the order the accounts were sent by build().
    std::vector<mpi::Bytes> to_home(static_cast<size_t>(ranks_));
    for (size_t i = 0; i < share.table.size(); ++i)
        mpi::append_value(to_home[size_t(home_of(share.table.ids[i]))], share_slots[i]);
    std::vector<uint32_t> slot_of_row;
    const std::vector<mpi::Bytes> places_here = exchange.exchange_bytes(std::move(to_home));
    for (size_t source = 0; source < places_here.size(); ++source) {
        const std::vector<uint32_t> slots = read_u32s(places_here[source]);
        if (slots.size() != rows_from_[source]) fail(ExitCode::internal, "the directory's places do not match its accounts");
        slot_of_row.insert(slot_of_row.end(), slots.begin(), slots.end());
    }
    std::vector<mpi::Bytes> answers(static_cast<size_t>(ranks_));
    for (size_t source = 0; source < found_.size(); ++source)
        for (const uint32_t row : found_[source])
            mpi::append_value(answers[source], row == kUnknownAccount ? kUnknownAccount : slot_of_row[row]);
    const std::vector<mpi::Bytes> replies = exchange.exchange_bytes(std::move(answers));
    std::vector<uint32_t> slots(key_count, kUnknownAccount);
    for (size_t home = 0; home < replies.size(); ++home) {
        const std::vector<uint32_t> places = read_u32s(replies[home]);
        if (places.size() != asked_[home].size()) fail(ExitCode::internal, "a directory reply does not match its questions");
        for (size_t q = 0; q < places.size(); ++q) slots[asked_[home][q]] = places[q];
    }
    return slots;
}

}  // namespace ledger
