#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ledger/csv.hpp"

namespace ledger {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Where a field's value lives: in the input text, or (after "" unescaping) in the row's scratch.
struct FieldSpan {
    size_t start;
    size_t length;
    bool in_scratch;
};

}  // namespace

CsvReader::CsvReader(std::string_view text, uint64_t first_line, uint64_t base_offset)
    : text_(text), line_(first_line), base_offset_(base_offset) {
    if (base_offset == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool CsvReader::next(CsvRow& row) {
    const size_t n = text_.size();
    // Blank (or whitespace-only) lines are skipped wherever they are.
    for (;;) {
        if (pos_ >= n) return false;
        size_t i = pos_;
        while (i < n && (is_space(text_[i]) || text_[i] == '\r')) ++i;
        if (i < n && text_[i] != '\n') break;
        pos_ = i < n ? i + 1 : n;
        if (i < n) ++line_;
    }

    const size_t start = pos_;
    row.fields.clear();
    row.scratch.clear();
    row.error.clear();
    row.line = line_;
    row.offset = base_offset_ + start;

    static thread_local std::vector<FieldSpan> spans;
    spans.clear();
    size_t i = start;
    bool row_done = false;
    while (!row_done) {
        while (i < n && is_space(text_[i])) ++i;
        if (i < n && text_[i] == '"') {
            // Quoted: runs to the closing quote, across line ends; "" is one quote.
            ++i;
            const size_t value_start = row.scratch.size();
            size_t chunk = i;
            bool closed = false;
            while (i < n) {
                const char* q = static_cast<const char*>(std::memchr(text_.data() + i, '"', n - i));
                const size_t quote_at = q ? size_t(q - text_.data()) : n;
                for (size_t k = i; k < quote_at; ++k)
                    if (text_[k] == '\n') ++line_;
                if (!q) {
                    i = n;
                    break;
                }
                row.scratch.append(text_.data() + chunk, quote_at - chunk);
                if (quote_at + 1 < n && text_[quote_at + 1] == '"') {
                    row.scratch.push_back('"');
                    i = chunk = quote_at + 2;
                    continue;
                }
                i = quote_at + 1;
                closed = true;
                break;
            }
            if (!closed) {
                row.error = "quoted field is not closed before the end of the file";
                finish_row(row, start, n);
                return true;
            }
            spans.push_back({value_start, row.scratch.size() - value_start, true});
            while (i < n && is_space(text_[i])) ++i;
            if (i < n && text_[i] == '\r' && (i + 1 == n || text_[i + 1] == '\n')) ++i;
            if (i >= n || text_[i] == '\n') {
                row_done = true;
            } else if (text_[i] == ',') {
                ++i;
            } else {
                row.error = "unexpected text after a closing quote";
                const char* nl = static_cast<const char*>(std::memchr(text_.data() + i, '\n', n - i));
                finish_row(row, start, nl ? size_t(nl - text_.data()) : n);
                return true;
            }
        } else {
            // Unquoted: runs to the next comma or line end; trailing spaces (and a CR) are not part of it.
            const size_t value_start = i;
            while (i < n && text_[i] != ',' && text_[i] != '\n') ++i;
            size_t value_end = i;
            while (value_end > value_start && (is_space(text_[value_end - 1]) || text_[value_end - 1] == '\r'))
                --value_end;
            if (std::memchr(text_.data() + value_start, '"', value_end - value_start) && row.error.empty())
                row.error = "quote inside an unquoted field";
            spans.push_back({value_start, value_end - value_start, false});
            if (i < n && text_[i] == ',') {
                ++i;
            } else {
                row_done = true;
            }
        }
    }
    finish_row(row, start, i);
    if (!row.error.empty()) return true;
    for (const FieldSpan& s : spans) {
        const char* base = s.in_scratch ? row.scratch.data() : text_.data();
        row.fields.emplace_back(base + s.start, s.length);
    }
    return true;
}

uint64_t count_line_feeds(std::string_view text) {
    uint64_t count = 0;
    size_t i = 0;
#if defined(__SSE2__)
    // Each byte lane counts down by one per line feed (a match is -1) for up to 255 blocks before it could
    // wrap; the lanes are then summed. No popcount: the baseline x86-64 target has no instruction for it.
    const __m128i line_feed = _mm_set1_epi8('\n');
    while (i + 16 <= text.size()) {
        __m128i lanes = _mm_setzero_si128();
        for (int blocks = 0; blocks < 255 && i + 16 <= text.size(); ++blocks, i += 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(bytes, line_feed));
        }
        const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        count += uint64_t(_mm_cvtsi128_si64(sums)) + uint64_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    }
#endif
    for (; i < text.size(); ++i) count += text[i] == '\n';
    return count;
}

// The row spans [start, end) where `end` is at its line feed or the end of the text.
void CsvReader::finish_row(CsvRow& row, size_t start, size_t end) {
    size_t raw_end = end;
    if (raw_end > start && text_[raw_end - 1] == '\r') --raw_end;
    row.raw = text_.substr(start, raw_end - start);
    if (end < text_.size()) {
        pos_ = end + 1;  // past the line feed
        ++line_;
    } else {
        pos_ = end;
    }
    if (!row.error.empty()) {
        row.fields.clear();
        return;
    }
    if (row.raw.size() > kMaxRowBytes) {
        row.error = "row longer than " + std::to_string(kMaxRowBytes) + " bytes";
    } else if (std::memchr(row.raw.data(), '\0', row.raw.size())) {
        row.error = "NUL byte in the row";
    }
}

}  // namespace ledger
