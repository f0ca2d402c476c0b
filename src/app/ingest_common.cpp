#include "ingest_common.hpp"

#include <sys/stat.h>

#include "ledger/atomic_output.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_file.hpp"

namespace ledger {

void name_file_and_line(mpi::Failure& failure, std::span<const InputFile> files, const Options& options,
                        const mpi::Exchange& exchange) {
    if (!failure.order_is_position || !exchange.is_root()) return;
    const uint32_t file = position_file(failure.order);
    if (file >= files.size()) return;
    const std::string_view text = files[file].text();
    const uint64_t offset = position_offset(failure.order);
    std::string_view row = text.substr(std::min<uint64_t>(offset, text.size()));
    row = row.substr(0, row.find('\n'));
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    failure.message = bad_row_message(options.transactions[file], line_of_offset(text, offset), failure.message, row);
    failure.order_is_position = false;
}

TracedRejectedRows traced_rejected_rows(const Options& options, std::span<const InputFile> files,
                                        std::span<const HeaderMap> headers) {
    std::vector<std::vector<std::string>> fields;
    for (const InputFile& file : files) fields.push_back(header_fields(file.text()));
    return TracedRejectedRows(options.transactions, fields, headers);
}

LineFeedCounter line_feeds_through(std::span<const InputFile> files, std::vector<uint64_t> released_from) {
    // A few MiB at a time: a release (madvise) for every page crossed would cost more than the count.
    constexpr uint64_t kReleaseStepBytes = uint64_t{4} << 20;
    return [files, released = std::move(released_from)](uint32_t file, uint64_t begin, uint64_t end) mutable {
        const uint64_t line_feeds = count_line_feeds(files[file].text().substr(begin, end - begin));
        if (end - released[file] >= kReleaseStepBytes) released[file] = files[file].release(released[file], end);
        return line_feeds;
    };
}

std::vector<std::string> input_paths(const Options& options) {
    std::vector<std::string> paths{options.accounts};
    paths.insert(paths.end(), options.transactions.begin(), options.transactions.end());
    return paths;
}

void check_output_paths(const Options& options) {
    for (const auto& output : output_files(options)) check_output_path(*output.second);
}

void check_transactions_file_size(uint64_t bytes, const std::string& path) {
    if (bytes >= kMaxTransactionFileBytes)
        fail(ExitCode::bad_input, path + ": a transactions file must be smaller than 1 TiB (" +
                                      std::to_string(bytes) + " bytes); split it into several --transactions files");
}

void check_transactions_file_sizes(const Options& options) {
    for (const std::string& path : options.transactions) {
        struct stat st;
        if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) check_transactions_file_size(uint64_t(st.st_size), path);
    }
}

void check_fixed_scale(const AccountTable& accounts, std::optional<int> fixed, const std::string& file_name) {
    if (!fixed || accounts.max_scale <= *fixed) return;
    for (size_t i = 0; i < accounts.size(); ++i) {
        const Decimal own = accounts.opening(i);
        if (own.scale <= *fixed) continue;
        throw LedgerError(ExitCode::bad_input,
                          file_name + ":" + std::to_string(accounts.line[i]) + ": account '" + excerpt(accounts.ids[i], 64) +
                              "': " + field_problem("balance", format_units(own.units, own.scale),
                                                    too_many_fraction_digits(own.scale, *fixed)),
                          accounts.line[i]);
    }
}

std::vector<int128> rescale_opening(AccountTable& accounts, int scale, const std::string& file_name) {
    for (size_t i = 0; i < accounts.size(); ++i) {
        const Decimal own = accounts.opening(i);
        if (!rescale(own, scale, &accounts.opening_units[i]))
            fail(ExitCode::bad_input, file_name + ":" + std::to_string(accounts.line[i]) +
                                          ": balance does not fit in 128 bits at " + std::to_string(scale) +
                                          " fraction digits (" + format_units(own.units, own.scale) + ")");
    }
    // The scales and lines, 9 bytes an account: with a million accounts, 9 MB on every rank for the rest of
    // the run. The units, now at the run's scale, are the result.
    std::vector<uint8_t>().swap(accounts.opening_scale);
    std::vector<uint64_t>().swap(accounts.line);
    return std::move(accounts.opening_units);
}

std::vector<uint64_t> transfers_per_country(std::span<const Transfer> transfers, const AccountTable& accounts) {
    std::vector<uint64_t> counts(accounts.countries.size(), 0);
    for (const Transfer& t : transfers)
        if (t.reason() == Reason::none) ++counts[accounts.country[t.from]];
    return counts;
}

void add_accounts_of_rank(RankWork& work, const RunShape& shape, const std::vector<int>& owner,
                          const AccountTable& accounts, std::span<const int128> opening, int rank) {
    work.shape = shape;
    work.owner = owner;
    for (int o : owner) work.countries_owned += o == rank;
    for (uint32_t i = 0; i < accounts.size(); ++i) {
        if (owner[accounts.country[i]] != rank) continue;
        work.account_index.push_back(i);
        work.account_country.push_back(accounts.country[i]);
        work.opening.push_back(opening[i]);
    }
}

}  // namespace ledger
