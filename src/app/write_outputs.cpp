#include "write_outputs.hpp"

#include <algorithm>

#include "ingest_common.hpp"
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
        append_rejected_row(out, text, root.headers[file], r.reason());
    }
    return out;
}

// Rank 0 holds every file: the lines are counted from each file's start, once, in position order.
std::string format_traced_rejected(const Options& options, const RootState& root, std::vector<Rejection>& rejections) {
    std::vector<TracedRejection> numbered;
    reserve_huge(numbered, rejections.size());
    for (const Rejection& r : rejections) numbered.push_back({r.order, 0});
    std::vector<Rejection>().swap(rejections);
    const std::vector<LinePoint> starts(root.transaction_files.size());
    number_rejected_lines(numbered, starts,
                          line_feeds_through(root.transaction_files, std::vector<uint64_t>(starts.size(), 0)));
    std::sort(numbered.begin(), numbered.end(), [](const auto& a, const auto& b) { return replay_before(a, b); });
    const TracedRejectedRows layout = traced_rejected_rows(options, root.transaction_files, root.headers);
    std::string out = layout.header();
    for (const TracedRejection& r : numbered) {
        const uint32_t file = position_file(r.position());
        layout.append_row(out, root.transaction_files[file].text().substr(position_offset(r.position())), file,
                          r.line, r.reason());
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

uint64_t write_outputs(const Options& options, const RootState& root, int scale, std::vector<RankResult>& results) {
    std::vector<int128> closing = root.opening;
    std::vector<Rejection> rejections;
    for (RankResult& r : results) {
        for (size_t i = 0; i < r.account_index.size(); ++i) closing[r.account_index[i]] = r.closing[i];
        rejections.insert(rejections.end(), r.rejections.begin(), r.rejections.end());
        std::vector<int128>().swap(r.closing);
        std::vector<Rejection>().swap(r.rejections);
    }
    // Staged in rename order: the balances last, so that a new balances file means every output is new.
    AtomicOutputs outputs;
    uint64_t written = 0;
    auto stage = [&](const std::string& path, const std::string& content) {
        outputs.stage(path, content);
        written += content.size();
    };
    if (!options.rejected.empty())
        stage(options.rejected, options.rejected_columns == RejectedColumns::traced
                                    ? format_traced_rejected(options, root, rejections)
                                    : format_rejected(root, rejections));
    if (!options.quarantine.empty()) stage(options.quarantine, format_quarantine(root.bad.rows()));
    stage(options.output, format_balances(root.accounts, closing, scale));
    outputs.commit_all();
    return written;
}

}  // namespace ledger
