#include <libpq-fe.h>

#include <string>

#include "database.hpp"

namespace ledger::db {

// Rebuilt from libpq's own parse, key=value with every key the string set except the password, so that
// what is shown is what libpq will use (a URI's parts included) and a password cannot slip through.
std::string redact_conninfo(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (!options) {
        PQfreemem(error);
        return "(not a valid connection string)";
    }
    std::string out;
    for (const PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || std::string(o->keyword) == "password") continue;
        // The dispchar "*" marks the fields libpq itself hides (the password; sslpassword too).
        if (o->dispchar && o->dispchar[0] == '*') continue;
        std::string value;
        for (const char* c = o->val; *c; ++c) {
            if (*c == '\'' || *c == '\\') value += '\\';
            value += *c;
        }
        if (!out.empty()) out += ' ';
        out += std::string(o->keyword) + "='" + value + "'";
    }
    PQconninfoFree(options);
    return out;
}

}  // namespace ledger::db
