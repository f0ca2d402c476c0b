// The parts of `ledger --help` that are not the option list: examples, exit codes, rejection reasons,
// what `-` means, the CSV accepted and the environment read. Kept beside the options, so that a change
// of behaviour and its help are one edit; tests/e2e/help.sh checks it against the code.
#pragma once

#include <string_view>

namespace ledger {

extern const std::string_view kHelpUsage;     // before the option list
extern const std::string_view kHelpEpilogue;  // after it

}  // namespace ledger
