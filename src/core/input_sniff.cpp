#include "ledger/input_sniff.hpp"

#include <algorithm>

namespace ledger {
namespace {

struct Magic {
    std::string_view bytes;
    std::string_view looks;  // what the file looks like: "looks gzip-compressed"
    std::string_view todo;   // what to do about it
};

// The first bytes of each format, from its specification. bzip2's fourth byte is its block size, '1'..'9'.
constexpr Magic kMagics[] = {
    {"\x1f\x8b", "looks gzip-compressed", "decompress it first (gunzip)"},
    {"\x28\xb5\x2f\xfd", "looks zstd-compressed", "decompress it first (unzstd)"},
    {"BZh", "looks bzip2-compressed", "decompress it first (bunzip2)"},
    {std::string_view("\xfd" "7zXZ\0", 6), "looks xz-compressed", "decompress it first (unxz)"},
    {"PK\x03\x04", "looks like a zip archive", "extract the CSV file from it first (unzip)"},
    {"\xff\xfe", "looks UTF-16 encoded", "convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)"},
    {"\xfe\xff", "looks UTF-16 encoded", "convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)"},
};

bool starts_with_magic(std::string_view text, const Magic& magic) {
    if (!text.starts_with(magic.bytes)) return false;
    if (magic.bytes == "BZh") return text.size() > 3 && text[3] >= '1' && text[3] <= '9';
    return true;
}

std::string hex_bytes(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (!out.empty()) out.push_back(' ');
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 15]);
    }
    return out;
}

// A header field as the CSV reader would see it: blanks around it and one pair of quotes removed.
std::string_view bare(std::string_view field) {
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '\r'))
        field.remove_suffix(1);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
    return field;
}

// How many of the required columns the header names when split at `separator`.
size_t columns_found(std::string_view header, char separator, std::span<const std::string_view> required) {
    size_t found = 0;
    for (const std::string_view name : required) {
        size_t start = 0;
        for (;;) {
            const size_t end = std::min(header.find(separator, start), header.size());
            if (bare(header.substr(start, end - start)) == name) {
                ++found;
                break;
            }
            if (end == header.size()) break;
            start = end + 1;
        }
    }
    return found;
}

}  // namespace

SniffedProblem sniff_unreadable_header(std::string_view header_raw, std::span<const std::string_view> required) {
    for (const Magic& magic : kMagics)
        if (starts_with_magic(header_raw, magic))
            return {"the file " + std::string(magic.looks) + " (it starts with bytes " +
                        hex_bytes(magic.bytes.substr(0, std::min<size_t>(magic.bytes.size(), 4))) + "); " +
                        std::string(magic.todo),
                    false};
    // A separator that finds more of the columns than the comma does is the one the file uses.
    const size_t with_commas = columns_found(header_raw, ',', required);
    for (const auto& [separator, name] : {std::pair{';', "semicolon (;)"}, std::pair{'\t', "tab"}})
        if (header_raw.find(separator) != std::string_view::npos &&
            columns_found(header_raw, separator, required) > with_commas)
            return {"the header looks " + std::string(name) +
                        "-separated, but ledger reads comma-separated CSV only; export or convert the file with "
                        "commas between fields",
                    true};
    return {};
}

}  // namespace ledger
