#include "write_outputs.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "ledger/atomic_output.hpp"
#include "ledger/order.hpp"
#include "ledger/output.hpp"
#include "ledger/prefault.hpp"

namespace ledger {
namespace {

std::string format_rejected(const RootState& root, std::vector<Rejection>& rejections) {
    sort_for_replay(rejections);
    std::string out;
    reserve_huge(out, kRejectedHeader.size() + rejections.size() * 64);
    out += kRejectedHeader;
    for (const Rejection& r : rejections) {
        // The row is read again from the input, so that its values appear exactly as written.
        const uint32_t file = position_file(r.position());
        const std::string_view text = root.transaction_files[file].text().substr(position_offset(r.position()));
        append_rejected_row(out, fields_of_row(text, root.headers[file]), r.reason());
    }
    return out;
}

std::string format_quarantine(const std::vector<BadRow>& rows) {
    // Input order: the accounts file, then the transactions files as given, each by line. Ranks that
    // parsed in parallel hand their rows over in no particular order. Sorted by reference: a million
    // quarantined rows are hundreds of MiB, too many to copy.
    std::vector<const BadRow*> in_order;
    in_order.reserve(rows.size());
    for (const BadRow& row : rows) in_order.push_back(&row);
    std::stable_sort(in_order.begin(), in_order.end(), [](const BadRow* a, const BadRow* b) {
        return a->file_index != b->file_index ? a->file_index < b->file_index : a->line < b->line;
    });
    std::string out(kQuarantineHeader);
    for (const BadRow* row : in_order) append_quarantine_row(out, *row);
    return out;
}

}  // namespace

JobOutcome write_outputs(const Options& options, const RootState& root, int scale, std::vector<RankResult>& results) {
    JobOutcome outcome;
    outcome.scale = scale;
    outcome.bad_rows = root.bad.rows().size();
    std::vector<int128> closing = root.opening;
    std::vector<Rejection> rejections;
    for (RankResult& r : results) {
        for (size_t i = 0; i < r.account_index.size(); ++i) closing[r.account_index[i]] = r.closing[i];
        rejections.insert(rejections.end(), r.rejections.begin(), r.rejections.end());
        outcome.totals.add(r.totals);
    }
    AtomicOutputs outputs;
    outputs.stage(options.output, format_balances(root.accounts, closing, scale));
    if (!options.rejected.empty()) outputs.stage(options.rejected, format_rejected(root, rejections));
    if (!options.quarantine.empty()) outputs.stage(options.quarantine, format_quarantine(root.bad.rows()));
    outputs.commit_all();
    if (options.quarantine.empty() && !root.bad.rows().empty())
        spdlog::warn("{} bad rows skipped and not saved: give --quarantine PATH to keep them", root.bad.rows().size());
    return outcome;
}

}  // namespace ledger
