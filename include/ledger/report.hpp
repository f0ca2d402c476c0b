// The JSON run report (spec: Outputs / Run report).
#pragma once

#include <string>

#include "ledger/run_summary.hpp"

namespace ledger {

std::string format_report_json(const RunSummary& summary);

}  // namespace ledger
