// Recognises the usual reasons why a file's header cannot be read as ledger's CSV: the file is compressed
// or archived, it is UTF-16, or its fields are separated by semicolons or tabs (a spreadsheet's export).
// A user told "missing required column" goes looking for a column that is there; told what the file
// looks like, they know what to do. Pure: it only looks at the header row's bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ledger {

struct SniffedProblem {
    std::string what;           // e.g. "the file looks gzip-compressed; decompress it first (gunzip)"; empty: none
    bool show_header = false;   // whether the header text helps (it is text, not binary)
};

// `header_raw` is the header row as read (from the file's first byte, or after a UTF-8 BOM); `required`
// the columns the file should have. Asked only once the header has failed, so a file that reads well is
// never second-guessed.
SniffedProblem sniff_unreadable_header(std::string_view header_raw, std::span<const std::string_view> required);

}  // namespace ledger
