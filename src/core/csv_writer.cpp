#include "ledger/csv.hpp"

#include <algorithm>
#include <cstdint>

namespace ledger {

void append_csv_field(std::string& out, std::string_view value) {
    bool needs_quotes = !value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                                           value.back() == ' ' || value.back() == '\t');
    for (char c : value) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            needs_quotes = true;
            break;
        }
    }
    if (!needs_quotes) {
        out.append(value);
        return;
    }
    out.push_back('"');
    for (char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Code points that are valid UTF-8 but would still break a one-line message or disguise it: the C1
// controls, the line and paragraph separators, and the bidirectional overrides and isolates (which can
// make a terminal show text in another order than it is).
bool is_unprintable(uint32_t code_point) {
    return (code_point >= 0x80 && code_point <= 0x9F) || (code_point >= 0x2028 && code_point <= 0x202E) ||
           (code_point >= 0x2066 && code_point <= 0x2069);
}

// The length of the printable character that starts at text[i]: 1 for printable ASCII, 2 to 4 for a
// well-formed UTF-8 sequence (no overlong form, no surrogate, nothing past U+10FFFF), 0 for anything else.
size_t printable_length(std::string_view text, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return lead >= 0x20 && lead != 0x7F ? 1 : 0;
    size_t length = 0;
    uint32_t code_point = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, code_point = lead & 0x0F;
        if (lead == 0xE0) low = 0xA0;   // overlong below
        if (lead == 0xED) high = 0x9F;  // surrogates above
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, code_point = lead & 0x07;
        if (lead == 0xF0) low = 0x90;   // overlong below
        if (lead == 0xF4) high = 0x8F;  // past U+10FFFF above
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (size_t k = 1; k < length; ++k) {
        if (!is_continuation(byte(i + k))) return 0;
        code_point = (code_point << 6) | (byte(i + k) & 0x3F);
    }
    return is_unprintable(code_point) ? 0 : length;
}

}  // namespace

std::string one_line(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        if (const size_t length = printable_length(text, i); length > 0) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        const auto byte = static_cast<unsigned char>(text[i++]);
        out += "\\x";
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 15]);
    }
    return out;
}

std::string excerpt(std::string_view text, size_t max_bytes) {
    // Cut before a character rather than inside one, which would show its first bytes escaped.
    size_t cut = std::min(text.size(), max_bytes);
    for (int back = 0; back < 3 && cut > 0 && cut < text.size(); ++back) {
        if (!is_continuation(static_cast<unsigned char>(text[cut]))) break;
        --cut;
    }
    std::string out = one_line(text.substr(0, cut));
    if (text.size() > cut) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

}  // namespace ledger
