#include "ledger/plain_row.hpp"

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ledger {
namespace {

static_assert(kMaxFastRowBytes % 64 == 0, "split_plain_row reads whole 64-byte blocks up to the limit");

// Bytes that need the general reader's rules when they appear in a row: quoting, CR handling and the
// NUL check. Spaces and tabs are fine inside a field but not at its ends, where the reader trims them.
constexpr bool needs_general_reader(unsigned char c) { return c == '"' || c == '\r' || c == '\0'; }
constexpr bool is_blank(char c) { return c == ' ' || c == '\t'; }

#if defined(__SSE2__)
// Bit i of each mask stands for byte i of a 64-byte block: a row of the usual width is split with a
// handful of vector compares instead of a compare and a branch per byte.
struct BlockMasks {
    uint64_t commas, line_feeds, general;  // general: bytes that need the general reader
};

inline uint64_t mask_of(__m128i bytes, char c) {
    return unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(c))));
}

inline BlockMasks block_masks(const char* p) {
    BlockMasks m{0, 0, 0};
    for (int k = 0; k < 4; ++k) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        m.commas |= mask_of(bytes, ',') << (16 * k);
        m.line_feeds |= mask_of(bytes, '\n') << (16 * k);
        m.general |= (mask_of(bytes, '"') | mask_of(bytes, '\r') | mask_of(bytes, '\0')) << (16 * k);
    }
    return m;
}
#endif

}  // namespace

size_t split_plain_row(std::string_view text, size_t pos, std::string_view* fields, size_t count) {
    size_t field = 0, start = pos;
    const auto close_field = [&](size_t end) {
        if (field == count || end == start) return false;
        if (is_blank(text[start]) || is_blank(text[end - 1])) return false;
        fields[field++] = text.substr(start, end - start);
        start = end + 1;
        return true;
    };
    const size_t limit = std::min(text.size(), pos + kMaxFastRowBytes);
    size_t i = pos;
#if defined(__SSE2__)
    // Whole blocks while the text has them (kMaxFastRowBytes is a multiple of 64, so they end at the limit).
    for (; i + 64 <= text.size() && i < limit; i += 64) {
        const BlockMasks m = block_masks(text.data() + i);
        const uint64_t before_line_feed = m.line_feeds ? (m.line_feeds & (~m.line_feeds + 1)) - 1 : ~uint64_t{0};
        if (m.general & before_line_feed) return 0;
        for (uint64_t commas = m.commas & before_line_feed; commas != 0; commas &= commas - 1)
            if (!close_field(i + size_t(__builtin_ctzll(commas)))) return 0;
        if (m.line_feeds) {
            const size_t end = i + size_t(__builtin_ctzll(m.line_feeds));
            return close_field(end) && field == count ? end + 1 : 0;
        }
    }
#endif
    // Byte by byte near the end of the text, where a block would read past it.
    for (;; ++i) {
        if (i >= limit) return 0;  // no line feed in reach: a long row or the last row of the text
        const char c = text[i];
        if (c == ',' || c == '\n') {
            if (!close_field(i)) return 0;
            if (c == '\n') break;
        } else if (needs_general_reader(static_cast<unsigned char>(c))) {
            return 0;
        }
    }
    return field == count ? i + 1 : 0;
}

}  // namespace ledger
