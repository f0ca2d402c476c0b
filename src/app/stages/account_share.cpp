#include "account_share.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "ledger/chunking.hpp"
#include "ledger/csv.hpp"
#include "ledger/input_file.hpp"
#include "share_joints.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// Countries travel as their names, one after another, each after its length.
mpi::Bytes encode_names(const std::vector<std::string>& names) {
    mpi::Bytes out;
    for (const std::string& name : names) {
        mpi::append_value(out, uint32_t(name.size()));
        mpi::append_bytes(out, std::span<const char>(name.data(), name.size()));
    }
    return out;
}

std::vector<std::string> decode_names(std::span<const char> bytes) {
    std::vector<std::string> names;
    mpi::ByteReader in(bytes);
    while (!in.done()) {
        std::string name(in.value<uint32_t>(), '\0');
        in.read_into(name.data(), name.size());
        names.push_back(std::move(name));
    }
    return names;
}

// Every rank's countries, in rank order, are the file's in order of first appearance once repeats go.
void number_countries(AccountShare& share, mpi::Exchange& exchange) {
    std::unordered_map<std::string, uint32_t> index;
    for (const mpi::Bytes& bytes : exchange.all_gather_bytes(encode_names(share.table.countries)))
        for (std::string& name : decode_names(bytes)) {
            if (index.contains(name)) continue;
            index.emplace(name, uint32_t(share.countries.size()));
            share.countries.push_back(std::move(name));
        }
    share.country.resize(share.table.size());
    for (size_t i = 0; i < share.table.size(); ++i)
        share.country[i] = index.at(share.table.countries[share.table.country[i]]);
}

// Whether the whole file's ids are dense canonical integers, by the same rule as the accounts table's
// number index (AccountTable::build_number_index), from each share's lowest and highest value.
void find_number_range(AccountShare& share, mpi::Exchange& exchange) {
    uint64_t low = UINT64_MAX, high = 0, all_numbers = 1;
    for (const std::string& id : share.table.ids) {
        const auto number = canonical_number(id);
        if (!number) {
            all_numbers = 0;
            break;
        }
        low = std::min(low, *number);
        high = std::max(high, *number);
    }
    const uint64_t mine[] = {all_numbers, low, high};
    const std::vector<uint64_t> all = exchange.all_gather(mine);
    for (size_t r = 0; r < all.size(); r += 3) {
        all_numbers = all_numbers && all[r];
        low = std::min(low, all[r + 1]);
        high = std::max(high, all[r + 2]);
    }
    if (!all_numbers || share.total == 0 || high - low >= 4 * share.total + 1024) return;
    share.ids_are_numbers = true;
    share.number_base = low;
    share.numbers = high - low + 1;
    // Parsed again rather than kept from the pass above: 8 bytes an account until the range is known
    // would add to the peak of an accounts-heavy run, and a second parse costs a few ns an id.
    share.keys.reserve(share.table.ids.size());
    for (const std::string& id : share.table.ids) share.keys.push_back(uint32_t(*canonical_number(id) - low));
}

}  // namespace

AccountShare read_account_share(const std::string& path, mpi::Exchange& exchange) {
    const int ranks = exchange.size(), rank = exchange.rank();
    AccountShare share;
    std::optional<InputFile> file;
    HeaderMap header;
    uint64_t rows_start = 0, rows_line = 0;
    std::vector<uint64_t> cuts;
    AccountRowsRead read;
    auto read_part = [&] {
        share.table = AccountTable{};
        share.bad.rows().clear();
        const AccountPart part{file->text(), path, header, cuts[size_t(rank)], cuts[size_t(rank) + 1], 1, true};
        read = read_account_rows(part, share.bad, share.table);
    };
    step(exchange, [&] {
        file.emplace(path);
        header = read_account_header(file->text(), path, &rows_start, &rows_line);
        cuts = propose_cuts(file->text(), rows_start, ranks);
        read_part();
    });
    // A cut inside a quoted field that spans lines: the cuts are set on true row starts and read again.
    const uint64_t first_rows[] = {read.first_row_offset}, next_rows[] = {read.next_row_offset};
    if (!shares_join_up(exchange, first_rows, next_rows)[0])
        step(exchange, [&] {
            cuts = row_starts_at(file->text(), rows_start, cuts);
            read_part();
        });
    share.bytes_parsed = cuts[size_t(rank) + 1] - cuts[size_t(rank)];
    // Lines were counted from 1 at the share's start; the line feeds before it make them the file's.
    uint64_t all_line_feeds = 0;
    const uint64_t line_feeds_before =
        (rows_line - 1) + exchange.exclusive_sum(count_line_feeds(file->text().substr(cuts[size_t(rank)], share.bytes_parsed)),
                                                 &all_line_feeds);
    for (uint64_t& line : share.table.line) line += line_feeds_before;
    for (BadRow& row : share.bad.rows()) row.line += line_feeds_before;
    file.reset();
    share.first_index = exchange.exclusive_sum(share.table.size(), &share.total);
    number_countries(share, exchange);
    find_number_range(share, exchange);
    return share;
}

std::optional<LedgerError> first_bad_row(const AccountShare& share) {
    if (share.bad.rows().empty()) return std::nullopt;
    const BadRow& row = share.bad.rows().front();  // a share's rows are read in file order
    return LedgerError(ExitCode::bad_input, bad_row_message(row.file, row.line, row.error, row.raw), row.line);
}

}  // namespace ledger
