// Prometheus text exposition of a run, for the node-exporter textfile collector and the Pushgateway.
#pragma once

#include <string>

#include "ledger/run_summary.hpp"

namespace ledger {

// The whole exposition (HELP and TYPE for every family), ending in a newline.
std::string format_metrics(const RunSummary& summary);

// POSTs `body` to `<base_url>/metrics/job/ledger/instance/<instance>`. POST, not PUT: it replaces only the
// metric names sent, so a failed run's push keeps the last success timestamp a successful run left there.
// Returns false and sets *error on any failure (unreachable, non-2xx); the caller logs a warning and the
// run's result stays as it was.
bool push_metrics(const std::string& base_url, const std::string& instance, const std::string& body,
                  std::string* error);

}  // namespace ledger
