#include "ledger/transfers.hpp"

#include <algorithm>

#include "ledger/errors.hpp"
#include "ledger/fast_row.hpp"
#include "ledger/wide_amounts.hpp"

namespace ledger {

Reason static_reason(uint32_t from, uint32_t to, int128 amount, const AccountTable& accounts) {
    if (from == kUnknownAccount || to == kUnknownAccount) return Reason::unknown_account;
    return static_reason(from, to, amount, accounts.country[from], accounts.country[to]);
}

namespace {

// The text the fast path reads, from a buffer refilled through part.read_at (or `text` itself without it).
// It always holds kMaxFastRowBytes past the row asked for, or the rest of the text: all that
// FastRowReader::append looks at, so it decides every row as it would on `text`.
class FastPathText {
public:
    explicit FastPathText(const TransferText& part) : part_(part) {
        if (part.read_at && part.read_window_bytes > 2 * kMaxFastRowBytes) buffer_.resize(part.read_window_bytes);
    }

    // The text around `pos` (a position in part.text), and in `base` the position of its first byte.
    // A refill first resolves the rows `fast` holds: their ids point into the buffer.
    std::string_view around(size_t pos, size_t* base, FastRowReader& fast) {
        if (buffer_.empty()) {
            *base = 0;
            return part_.text;
        }
        if (pos < begin_ || (pos + kMaxFastRowBytes > end_ && end_ < part_.text.size())) {
            fast.finish();
            const size_t want = std::min(buffer_.size(), part_.text.size() - pos);
            const size_t got = part_.read_at(part_.base_offset + pos, buffer_.data(), want);
            if (got != want) {  // the file changed or cannot be read: the mapping alone from here on
                buffer_.clear();
                return around(pos, base, fast);
            }
            begin_ = pos;
            end_ = pos + got;
        }
        *base = begin_;
        return std::string_view(buffer_.data(), end_ - begin_);
    }

private:
    const TransferText& part_;
    std::vector<char> buffer_;
    size_t begin_ = 1, end_ = 0;  // the part of part.text the buffer holds; none yet
};

}  // namespace

size_t max_rows_in(const TransferText& part) {
    const uint64_t bytes = std::min<uint64_t>(part.text.size(), part.stop_at - std::min(part.stop_at, part.base_offset));
    return size_t(count_line_feeds(part.text.substr(0, size_t(bytes)))) + 1;
}

namespace {

// How a row's accounts are named: by index in a complete accounts table, or by a key interned in a
// dictionary (accounts then null).
struct AccountNames {
    const AccountTable* accounts;
    IdDictionary* interned;

    void name(Transfer& t, std::string_view from_id, std::string_view to_id, int128 amount) const {
        if (interned) {
            t.from = interned->intern(from_id);
            t.to = interned->intern(to_id);
            t.order.set_reason(static_reason(t.from, t.to, amount, 0, 0));  // provisional, as in FastRowReader
            return;
        }
        t.from = accounts->find(from_id).value_or(kUnknownAccount);
        t.to = accounts->find(to_id).value_or(kUnknownAccount);
        t.order.set_reason(static_reason(t.from, t.to, amount, *accounts));
    }
};

RowsRead read_rows(const TransferText& part, const HeaderMap& header, const AccountNames& names, BadRowSink& bad,
                   std::vector<Transfer>& out, std::vector<WideAmount>& wide) {
    const size_t date_col = size_t(header.column[0]), from_col = size_t(header.column[1]),
                 amount_col = size_t(header.column[2]), to_col = size_t(header.column[3]);
    const uint32_t bad_file_index = part.file_index + 1;  // 0 is the accounts file
    RowsRead read;
    std::string error;
    // Room for every row up front (unless the caller made it): each doubling would copy every record into
    // freshly faulted pages.
    if (out.capacity() == out.size()) out.reserve(out.size() + max_rows_in(part));
    const size_t wide_before = wide.size();
    FastRowReader fast = names.interned ? FastRowReader(header, *names.interned, out, wide)
                                        : FastRowReader(header, *names.accounts, out, wide);
    fast.set_max_fraction_digits(part.max_fraction_digits);
    FastPathText fast_text(part);
    CsvReader reader(part.text, part.first_line, part.base_offset);
    CsvRow row;
    size_t pos = reader.consumed();  // past a BOM, if any
    uint64_t line = part.first_line;
    auto note_row = [&](uint64_t offset, uint64_t row_line) {
        if (read.first_row_offset == UINT64_MAX) {
            read.first_row_offset = offset;
            read.first_row_line = row_line;
        }
        if (part.on_progress && (out.size() & 0xFFFF) == 0) part.on_progress(pos);
    };
    for (;;) {
        // The fast path: a row it accepts is one line and never the start of the part's successor.
        const uint64_t offset = part.base_offset + pos;
        if (part.fast_rows && offset < part.stop_at && pos < part.text.size()) {
            size_t base = 0;
            const std::string_view text = fast_text.around(pos, &base, fast);
            if (const size_t after = fast.append(text, pos - base, make_position(part.file_index, offset))) {
                if (out.back().amount_scale() > read.max_scale) read.max_scale = out.back().amount_scale();
                note_row(offset, line);
                pos = base + after;
                ++line;
                continue;
            }
        }
        reader.seek(pos, line);
        if (!reader.next(row)) break;
        if (row.offset >= part.stop_at) {
            read.next_row_offset = row.offset;
            break;
        }
        pos = reader.consumed();
        line = reader.line();
        note_row(row.offset, row.line);
        auto reject = [&](std::string_view why) { bad.add(bad_file_index, part.file_name, row.line, why, row.raw); };
        if (const std::string problem = row_shape_problem(row, header); !problem.empty()) {
            reject(problem);
            continue;
        }
        const std::string_view from_id = row.fields[from_col], to_id = row.fields[to_col];
        if (auto why = check_id(from_id); !why.empty()) { reject("fromAccountNumber is " + std::string(why)); continue; }
        if (auto why = check_id(to_id); !why.empty()) { reject("toAccountNumber is " + std::string(why)); continue; }
        const auto instant = parse_instant(row.fields[date_col], &error);
        if (!instant) { reject(field_problem("date", row.fields[date_col], error)); continue; }
        const auto amount = parse_decimal(row.fields[amount_col], &error);
        if (!amount) { reject(field_problem("transferAmount", row.fields[amount_col], error)); continue; }
        if (amount->scale > part.max_fraction_digits) {
            reject(field_problem("transferAmount", row.fields[amount_col], too_many_fraction_digits(amount->scale, part.max_fraction_digits)));
            continue;
        }

        Transfer t;
        t.order = OrderKey::make(*instant, make_position(part.file_index, row.offset), amount->scale,
                                 Reason::none);
        names.name(t, from_id, to_id, amount->units);
        store_amount(t, amount->units, wide);
        out.push_back(t);
        if (amount->scale > read.max_scale) read.max_scale = amount->scale;
    }
    fast.finish();
    // The fast path adds a row's wide amount a few rows late, after rows the general path added at once.
    sort_by_position(std::span(wide).subspan(wide_before));
    if (part.on_progress) part.on_progress(reader.consumed());
    return read;
}

}  // namespace

RowsRead read_transfer_rows(const TransferText& part, const HeaderMap& header, const AccountTable& accounts,
                            BadRowSink& bad, std::vector<Transfer>& out, std::vector<WideAmount>& wide) {
    return read_rows(part, header, AccountNames{&accounts, nullptr}, bad, out, wide);
}

RowsRead read_transfer_rows(const TransferText& part, const HeaderMap& header, IdDictionary& ids, BadRowSink& bad,
                            std::vector<Transfer>& out, std::vector<WideAmount>& wide) {
    return read_rows(part, header, AccountNames{nullptr, &ids}, bad, out, wide);
}

HeaderMap read_transfer_header(const TransferText& file, size_t* rows_start, uint64_t* rows_line) {
    CsvReader reader(file.text, file.first_line, file.base_offset);
    CsvRow row;
    if (!reader.next(row)) fail(ExitCode::bad_input, file.file_name + ": empty file, expected a header line");
    HeaderMap header = resolve_header(row, kTransferColumns, file.file_name);
    *rows_start = reader.consumed();
    // A quoted header may span lines; the data rows start after all of them.
    *rows_line = row.line + 1 + uint64_t(std::count(row.raw.begin(), row.raw.end(), '\n'));
    return header;
}

int read_transfer_file(const TransferText& file, const AccountTable& accounts, BadRowSink& bad,
                       std::vector<Transfer>& out, std::vector<WideAmount>& wide, HeaderMap* header_out) {
    size_t rows_start = 0;
    uint64_t rows_line = 0;
    const HeaderMap header = read_transfer_header(file, &rows_start, &rows_line);
    if (header_out) *header_out = header;
    TransferText rest = file;
    rest.text = file.text.substr(rows_start);
    rest.first_line = rows_line;
    rest.base_offset = file.base_offset + rows_start;
    return read_transfer_rows(rest, header, accounts, bad, out, wide).max_scale;
}

void rescale_transfers(std::vector<Transfer>& transfers, std::vector<WideAmount>& wide, int scale) {
    // The first amount in input order that does not fit is the one to name, in a record or wide.
    uint64_t first_failure = UINT64_MAX;
    std::vector<WideAmount> outgrown;  // amounts that fitted in their record at their own scale only
    for (Transfer& t : transfers) {
        const int own_scale = t.amount_scale();
        if (own_scale == scale) continue;
        t.order.set_scale(scale);  // before store_amount, which copies it
        if (t.wide()) continue;    // its WideAmount is rescaled below
        int128 units;
        if (!rescale(Decimal{t.amount, own_scale}, scale, &units)) {
            first_failure = std::min(first_failure, t.position());
            continue;
        }
        store_amount(t, units, outgrown);
    }
    for (WideAmount& w : wide) {
        if (w.scale == scale) continue;
        int128 units;
        if (!rescale(Decimal{w.units, w.scale}, scale, &units)) {
            first_failure = std::min(first_failure, w.position);
            continue;
        }
        w.units = units;
        w.scale = uint8_t(scale);
    }
    if (first_failure != UINT64_MAX)
        throw PositionedError(ExitCode::bad_input, first_failure,
                              "transferAmount does not fit in 128 bits at " + std::to_string(scale) + " fraction digits");
    if (!outgrown.empty()) {
        wide.insert(wide.end(), outgrown.begin(), outgrown.end());
        sort_by_position(wide);
    }
}

TransferFields fields_of_row(std::string_view row_text, const HeaderMap& header) {
    CsvReader reader(row_text, 1, 1);  // offset 1: never treat the row start as a BOM
    CsvRow row;
    TransferFields fields;
    if (!reader.next(row) || !row.error.empty() || row.fields.size() != header.field_count) return fields;
    fields.date = row.fields[size_t(header.column[0])];
    fields.from = row.fields[size_t(header.column[1])];
    fields.amount = row.fields[size_t(header.column[2])];
    fields.to = row.fields[size_t(header.column[3])];
    return fields;
}

}  // namespace ledger
