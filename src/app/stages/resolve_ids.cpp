#include "resolve_ids.hpp"

#include <optional>

#include "ledger/records.hpp"
#include "numbered_ids.hpp"
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

}  // namespace

int home_rank_of(std::string_view id, int ranks) {
    // FNV-1a, written out rather than std::hash: every rank of a job must agree, and a job's ranks may
    // run builds linked against different C++ libraries.
    uint64_t hash = 0xcbf29ce484222325u;
    for (const char c : id) hash = (hash ^ uint8_t(c)) * 0x100000001b3u;
    return int(hash % uint64_t(ranks));
}

AccountDirectory AccountDirectory::build(const AccountShare& share, const std::string& accounts_path,
                                         BadRowPolicy policy, mpi::Exchange& exchange) {
    AccountDirectory directory;
    directory.ranks_ = exchange.size();
    if (resolves_by_id_table(share)) {
        directory.by_number_ = true;
        directory.country_of_key_ = replicate_countries(share, accounts_path, policy, exchange);
        return directory;
    }
    std::vector<mpi::Bytes> to_home(static_cast<size_t>(directory.ranks_));
    for (size_t i = 0; i < share.table.size(); ++i) {
        mpi::Bytes& out = to_home[size_t(home_rank_of(share.table.ids[i], directory.ranks_))];
        mpi::append_value(out, share.country[i]);
        mpi::append_value(out, share.table.line[i]);
        append_id(out, share.table.ids[i]);
    }
    std::vector<mpi::Bytes> received = exchange.exchange_bytes(std::move(to_home));
    step(exchange, [&] {
        // Sources in rank order, each in its file order: the home's accounts are in file order too, so
        // the first repeat found here is the earliest of any id homed here, as a sequential read finds it.
        AccountTable& table = directory.table_;
        std::optional<LedgerError> earliest = policy == BadRowPolicy::fail ? first_bad_row(share) : std::nullopt;
        std::optional<LedgerError> duplicate;
        std::string id;
        for (mpi::Bytes& bytes : received) {
            mpi::ByteReader in(bytes);
            uint32_t rows = 0;
            for (; !in.done(); ++rows) {
                table.country.push_back(in.value<uint32_t>());
                table.line.push_back(in.value<uint64_t>());
                table.ids.emplace_back(read_id(in, id));
            }
            directory.rows_from_.push_back(rows);
            mpi::Bytes().swap(bytes);
        }
        try {
            table.build_hash_index(accounts_path);
        } catch (const LedgerError& e) {
            duplicate = e;
        }
        if (duplicate && (!earliest || duplicate->order() < earliest->order())) earliest = duplicate;
        if (earliest) throw *earliest;
    });
    return directory;
}

std::vector<uint32_t> AccountDirectory::resolve_countries(const IdDictionary& ids, mpi::Exchange& exchange) {
    if (by_number_) {
        // The dictionary's numbered keys are the table's: the id's value less the base.
        if (country_of_key_.size() != ids.key_count()) fail(ExitCode::internal, "the numbered ids' table and dictionary differ");
        return std::move(country_of_key_);
    }
    asked_.assign(size_t(ranks_), {});
    std::vector<mpi::Bytes> questions(static_cast<size_t>(ranks_));
    ids.for_each_id([&](uint32_t key, std::string_view id) {
        const size_t home = size_t(home_rank_of(id, ranks_));
        asked_[home].push_back(key);
        append_id(questions[home], id);
    });
    const std::vector<mpi::Bytes> asked_here = exchange.exchange_bytes(std::move(questions));
    found_.assign(size_t(ranks_), {});
    std::vector<mpi::Bytes> answers(static_cast<size_t>(ranks_));
    std::string id;
    for (size_t source = 0; source < asked_here.size(); ++source) {
        mpi::ByteReader in(asked_here[source]);
        while (!in.done()) {
            const uint32_t row = table_.find(read_id(in, id)).value_or(kUnknownAccount);
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
    if (by_number_) fail(ExitCode::internal, "numbered ids are placed by places_in_key_order, not the directory");
    // The homes learn their accounts' places, sent in the order the accounts were sent by build().
    std::vector<mpi::Bytes> to_home(static_cast<size_t>(ranks_));
    for (size_t i = 0; i < share.table.size(); ++i)
        mpi::append_value(to_home[size_t(home_rank_of(share.table.ids[i], ranks_))], share_slots[i]);
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
