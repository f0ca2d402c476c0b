#include "ledger/records.hpp"

namespace ledger {

std::string_view reason_name(Reason reason) {
    switch (reason) {
        case Reason::none: return "accepted";
        case Reason::unknown_account: return "unknown_account";
        case Reason::invalid_amount: return "invalid_amount";
        case Reason::same_account: return "same_account";
        case Reason::cross_country: return "cross_country";
        case Reason::insufficient_funds: return "insufficient_funds";
    }
    return "unknown";
}

}  // namespace ledger
