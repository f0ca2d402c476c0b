// Differential test: the fast core pipeline against its plain reference twin (reference_replay.hpp),
// on ~200 random small workloads generated in memory. Both read the same CSV bytes; their balances
// file, rejected file (values and reasons, in replay order), output scale, accepted count and bad-row
// lines must agree exactly.
//
// The workloads are built to hit what the spec singles out: ids that look numeric (`7` beside `007`)
// and ids that need quoting (commas, quotes, line breaks, UTF-8), decimals of many scales with signs
// and leading zeros, one instant written with different offsets and separators (so equal timestamps
// meet in a different spelling), equal timestamps across several files, every rejection reason,
// reordered and extra columns, a BOM, CRLF, blank lines, spaces around fields, a missing final newline,
// and (in some workloads, with the skip policy) bad rows whose amounts must not count towards the scale.
// A final check makes sure the generator really produced every reason and some bad rows, so the test
// cannot pass by comparing empty outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core_pipeline.hpp"
#include "reference_replay.hpp"

namespace {

class Gen {
public:
    explicit Gen(uint64_t seed) : rng_(seed) {}
    uint64_t below(uint64_t n) { return rng_() % n; }
    bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p; }
    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }
    std::mt19937_64& rng() { return rng_; }

private:
    std::mt19937_64 rng_;
};

// ---------------------------------------------------------------- values

std::string make_id(Gen& g, int k) {
    std::string n = std::to_string(k);
    switch (g.below(10)) {
        case 0:
        case 1: return n;                                // integer-looking
        case 2: return "00" + n;                         // integer-looking with leading zeros
        case 3: return "acc-" + n;
        case 4: return "Zürich-" + n;                    // UTF-8
        case 5: return "a,b" + n;                        // needs quotes
        case 6: return "q\"" + n;                        // needs quotes and escapes
        case 7: return g.chance(0.3) ? "multi\nline" + n : "m" + n;  // a quoted line break
        case 8: return std::string(62 - n.size(), 'x') + "-" + n;    // near the 64-byte bound
        default: return "a b " + n;                      // inner spaces
    }
}

std::string digits(Gen& g, size_t count) {
    std::string s;
    for (size_t i = 0; i < count; ++i) s += char('0' + g.below(10));
    return s;
}

// A decimal amount as a user might write it.
std::string make_amount(Gen& g, bool transfer) {
    if (transfer && g.chance(0.05)) return g.pick(std::vector<std::string>{"0", "0.00", "-0", "+0.0"});
    size_t scale = g.chance(0.6) ? g.below(3) : (g.chance(0.8) ? 3 + g.below(2) : 5 + g.below(14));
    std::string text = std::to_string(g.below(transfer ? 120 : 300));
    if (scale > 0) text += "." + digits(g, scale);
    if (g.chance(0.05)) text = "00" + text;
    if (g.chance(transfer ? 0.05 : 0.03)) text = "-" + text;
    else if (g.chance(0.05)) text = "+" + text;
    return text;
}

// A civil UTC time, shifted by an offset to render local time.
struct Civil {
    int y, mo, d, h, mi, s;
    int ns;
};

Civil shift_minutes(Civil c, int minutes) {
    int total = c.h * 60 + c.mi + minutes;
    int day_delta = 0;
    while (total < 0) total += 1440, --day_delta;
    while (total >= 1440) total -= 1440, ++day_delta;
    c.h = total / 60;
    c.mi = total % 60;
    for (; day_delta > 0; --day_delta) {
        if (++c.d > reference::days_in_month(c.y, c.mo)) {
            c.d = 1;
            if (++c.mo > 12) c.mo = 1, ++c.y;
        }
    }
    for (; day_delta < 0; ++day_delta) {
        if (--c.d < 1) {
            if (--c.mo < 1) c.mo = 12, --c.y;
            c.d = reference::days_in_month(c.y, c.mo);
        }
    }
    return c;
}

std::string two(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

std::string render_instant(Gen& g, Civil utc) {
    bool midnight = utc.h == 0 && utc.mi == 0 && utc.s == 0 && utc.ns == 0;
    if (midnight && g.chance(0.4)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", utc.y, utc.mo, utc.d);
        return buf;
    }
    static const std::vector<std::pair<std::string, int>> offsets = {
        {"+01:00", 60}, {"-08:00", -480}, {"+05:30", 330}, {"+00:00", 0}, {"-00:00", 0},
        {"+14:00", 840}, {"-12:00", -720}, {"+05:45", 345}, {"-03:30", -210}};
    std::string zone;
    Civil local = utc;
    switch (g.below(4)) {
        case 0: break;  // no zone: UTC
        case 1: zone = g.chance(0.5) ? "Z" : "z"; break;
        default: {
            const auto& [text, minutes] = g.pick(offsets);
            Civil shifted = shift_minutes(utc, minutes);
            if (shifted.y >= 0 && shifted.y <= 9999) {
                local = shifted;
                zone = text;
            } else {
                zone = "Z";
            }
        }
    }
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", local.y, local.mo, local.d);
    std::string out = date;
    out += g.pick(std::vector<std::string>{"T", "T", "t", " "});
    out += two(local.h) + ":" + two(local.mi);
    if (local.s != 0 || local.ns != 0 || g.chance(0.5)) {
        out += ":" + two(local.s);
        if (local.ns != 0) {
            char frac[16];
            std::snprintf(frac, sizeof frac, "%09d", local.ns);
            std::string f = frac;
            size_t keep = f.find_last_not_of('0') + 1;
            keep += g.below(9 - keep + 1);  // sometimes keep trailing zeros
            out += "." + f.substr(0, keep);
        } else if (g.chance(0.2)) {
            out += ".000";
        }
    }
    return out + zone;
}

std::vector<Civil> make_instants(Gen& g) {
    std::vector<Civil> pool;
    size_t n = 2 + g.below(8);
    for (size_t i = 0; i < n; ++i) {
        Civil c{2024, 1 + int(g.below(12)), 1 + int(g.below(28)), int(g.below(24)), int(g.below(60)),
                int(g.below(60)), 0};
        if (g.chance(0.3)) c.h = c.mi = c.s = 0;
        if (g.chance(0.3)) c.ns = int(g.below(1000000000));
        if (g.chance(0.05)) c = Civil{2024, 2, 29, 23, 59, 59, 999999999};
        if (g.chance(0.05)) c = Civil{1969, 12, 31, 23, 59, 59, 500000000};
        if (g.chance(0.03)) c = Civil{0, 1, 1, 0, 30, 0, 0};
        if (g.chance(0.03)) c = Civil{9999, 12, 31, 23, 0, 0, 1};
        if (g.chance(0.03)) c = Civil{2000, 2, 29, 0, 0, 0, 0};
        pool.push_back(c);
    }
    return pool;
}

// ---------------------------------------------------------------- CSV text

std::string render_field(Gen& g, const std::string& value) {
    bool must_quote = value.find_first_of(",\"\r\n") != std::string::npos ||
                      (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    std::string out = value;
    if (must_quote || g.chance(0.1)) {  // quoted where needed, and sometimes where not
        out = "\"";
        for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += "\"";
    }
    if (g.chance(0.1)) out = " " + out;
    if (g.chance(0.1)) out += "  ";
    return out;
}

struct TextFile {
    std::string eol;
    std::string text;
};

TextFile start_file(Gen& g) {
    TextFile f;
    f.eol = g.chance(0.3) ? "\r\n" : "\n";
    if (g.chance(0.2)) f.text += "\xEF\xBB\xBF";
    if (g.chance(0.1)) f.text += f.eol;
    return f;
}

void add_record(Gen& g, TextFile& f, const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) f.text += ',';
        f.text += render_field(g, fields[i]);
    }
    f.text += f.eol;
    if (g.chance(0.05)) f.text += f.eol;  // a blank line
}

std::string finish_file(Gen& g, TextFile f) {
    if (g.chance(0.2)) f.text.resize(f.text.size() - f.eol.size());  // no final line end
    else if (g.chance(0.2)) f.text += f.eol + f.eol;                  // blank trailing lines
    return f.text;
}

// A header with the required columns in random order, maybe with an extra column; returns the order.
std::vector<std::string> make_header(Gen& g, std::vector<std::string> required) {
    std::shuffle(required.begin(), required.end(), g.rng());
    if (g.chance(0.3)) required.insert(required.begin() + long(g.below(required.size() + 1)), "memo");
    return required;
}

std::string memo(Gen& g) { return g.pick(std::vector<std::string>{"", "x", "hello, world", "two\nlines", "\"q\""}); }

// ---------------------------------------------------------------- workloads

struct Workload {
    std::string accounts;
    std::vector<std::string> transactions;
    bool with_bad_rows = false;
};

Workload make_workload(uint64_t seed) {
    Gen g(seed);
    Workload w;
    w.with_bad_rows = g.chance(0.3);

    std::vector<std::string> country_pool = {"US", "DE", "FR", "C,1", "Q\"2", "日本"};
    std::shuffle(country_pool.begin(), country_pool.end(), g.rng());
    std::vector<std::string> countries(country_pool.begin(), country_pool.begin() + long(1 + g.below(4)));

    // Accounts.
    std::vector<std::string> ids;          // every id written in a row the transfers may name
    std::map<std::string, std::string> country_of;
    std::set<std::string> taken;
    std::vector<std::string> header = make_header(g, {"accountNumber", "country", "balance"});
    TextFile af = start_file(g);
    add_record(g, af, header);
    size_t account_count = 1 + g.below(12);
    for (size_t k = 0; k < account_count; ++k) {
        std::string id;
        do id = make_id(g, int(g.below(40))); while (taken.count(id));
        taken.insert(id);
        std::string country = g.pick(countries);
        std::string balance = make_amount(g, false);
        std::map<std::string, std::string> v = {{"accountNumber", id}, {"country", country}, {"balance", balance}};
        if (w.with_bad_rows && g.chance(0.1)) {
            switch (g.below(4)) {
                case 0: v["country"] = ""; break;
                case 1: v["balance"] = g.pick(std::vector<std::string>{"5.", ".5", "1e5", "12,5", "1.0000000000000000001"}); break;
                case 2: v["accountNumber"] = ""; break;
                default: v["balance"] = "1.123456789012"; v["country"] = ""; break;  // its scale must not count
            }
        }
        std::vector<std::string> row;
        for (const std::string& column : header) row.push_back(column == "memo" ? memo(g) : v[column]);
        if (w.with_bad_rows && g.chance(0.05)) {
            if (g.chance(0.5)) row.push_back("extra");
            else row.pop_back();
        }
        add_record(g, af, row);
        if (!v["accountNumber"].empty()) ids.push_back(v["accountNumber"]);
        country_of[id] = country;
    }
    w.accounts = finish_file(g, af);
    if (ids.empty()) ids.push_back("ghost");

    // Transfers.
    std::vector<Civil> instants = make_instants(g);
    size_t file_count = 1 + g.below(3);
    for (size_t f = 0; f < file_count; ++f) {
        std::vector<std::string> th = make_header(g, {"date", "fromAccountNumber", "transferAmount", "toAccountNumber"});
        TextFile tf = start_file(g);
        add_record(g, tf, th);
        size_t rows = g.below(31);
        for (size_t r = 0; r < rows; ++r) {
            auto some_id = [&]() -> std::string {
                if (g.chance(0.1)) {  // unknown: a near miss of a real id, or a plain stranger
                    std::string near = "0" + g.pick(ids);
                    return taken.count(near) ? "ghost" : near;
                }
                return g.pick(ids);
            };
            std::string from = some_id();
            std::string to;
            if (g.chance(0.08)) {
                to = from;
            } else if (g.chance(0.6) && country_of.count(from)) {
                std::vector<std::string> same;
                for (const std::string& id : ids)
                    if (country_of.count(id) && country_of[id] == country_of[from] && id != from) same.push_back(id);
                to = same.empty() ? some_id() : g.pick(same);
            } else {
                to = some_id();
            }
            std::map<std::string, std::string> v = {{"date", render_instant(g, g.pick(instants))},
                                                    {"fromAccountNumber", from},
                                                    {"transferAmount", make_amount(g, true)},
                                                    {"toAccountNumber", to}};
            if (w.with_bad_rows && g.chance(0.08)) {
                switch (g.below(4)) {
                    case 0:
                        v["date"] = g.pick(std::vector<std::string>{"2023-02-29", "2024-02-30", "2024-01-01T24:00",
                                                                    "2024-01-01Z", "2024-13-01", "2024-01-01T10:60",
                                                                    "2024-01-01T00:00:00.1234567890"});
                        v["transferAmount"] = "1.1234567";  // its scale must not count
                        break;
                    case 1:
                        v["transferAmount"] = g.pick(std::vector<std::string>{"5.", ".5", "1e5", "- 5", "+"});
                        break;
                    case 2: v[g.chance(0.5) ? "fromAccountNumber" : "toAccountNumber"] = ""; break;
                    default: break;  // field count, below
                }
            }
            std::vector<std::string> row;
            for (const std::string& column : th) row.push_back(column == "memo" ? memo(g) : v[column]);
            if (w.with_bad_rows && g.chance(0.04)) {
                if (g.chance(0.5)) row.push_back("extra");
                else row.pop_back();
            }
            add_record(g, tf, row);
        }
        w.transactions.push_back(finish_file(g, tf));
    }
    return w;
}

// ---------------------------------------------------------------- the comparison

std::string show(const Workload& w) {
    std::string s = "--- accounts.csv\n" + w.accounts + "\n";
    for (size_t i = 0; i < w.transactions.size(); ++i) {
        s += "--- " + ledger_test::transactions_file_name(i) + "\n" + w.transactions[i] + "\n";
    }
    return s;
}

TEST(ReferenceVsCore, ReferenceItselfFollowsTheSpec) {
    // The reference is trusted only if it gets a hand-checked case right.
    reference::Result r = reference::replay(
        "accountNumber,country,balance\nA,US,10\nB,US,0.5\nC,DE,1\n007,US,0\n",
        {"date,fromAccountNumber,transferAmount,toAccountNumber\n"
         "2024-01-02,A,11,B\n"                   // insufficient (10 < 11)
         "2024-01-01T01:00:00+01:00,A,10,B\n"    // = 2024-01-01T00:00Z, first; exact balance
         "2024-01-01T00:00:00Z,B,10.5,007\n"      // same instant, after the row above in input order
         "2024-01-03,7,1,A\n"                    // unknown (7 is not 007)
         "2024-01-03,A,0,B\n"                    // invalid
         "2024-01-03,B,1,B\n"                    // same
         "2024-01-03,C,1,A\n"});                 // cross
    EXPECT_EQ(r.balances, "accountNumber,country,balance\nA,US,0.0\nB,US,0.0\nC,DE,1.0\n007,US,10.5\n");
    EXPECT_EQ(r.rejected,
              "date,fromAccountNumber,transferAmount,toAccountNumber,reason\n"
              "2024-01-02,A,11,B,insufficient_funds\n"
              "2024-01-03,7,1,A,unknown_account\n"
              "2024-01-03,A,0,B,invalid_amount\n"
              "2024-01-03,B,1,B,same_account\n"
              "2024-01-03,C,1,A,cross_country\n");
    EXPECT_EQ(r.accepted, 2u);
    EXPECT_EQ(r.scale, 1);
}

TEST(ReferenceVsCore, RandomWorkloadsAgreeExactly) {
    constexpr uint64_t kWorkloads = 200;
    std::map<std::string, uint64_t> reasons_seen;
    uint64_t bad_rows_seen = 0, accepted_seen = 0, mismatched = 0;
    for (uint64_t seed = 1; seed <= kWorkloads; ++seed) {
        Workload w = make_workload(seed);
        SCOPED_TRACE("seed " + std::to_string(seed));
        reference::Result expected = reference::replay(w.accounts, w.transactions);
        ledger_test::CoreResult actual;
        try {
            actual = ledger_test::run_core(w.accounts, w.transactions,
                                           w.with_bad_rows ? ledger::BadRowPolicy::skip : ledger::BadRowPolicy::fail);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "core threw: " << e.what() << "\n" << show(w);
            if (++mismatched >= 5) break;
            continue;
        }
        std::vector<reference::BadRowAt> actual_bad;
        for (const ledger::BadRow& b : actual.bad_rows) actual_bad.push_back({b.file_index, b.line});
        std::sort(actual_bad.begin(), actual_bad.end());
        std::vector<reference::BadRowAt> expected_bad = expected.bad_rows;
        std::sort(expected_bad.begin(), expected_bad.end());

        bool same = actual.balances == expected.balances && actual.rejected == expected.rejected &&
                    actual.scale == expected.scale && actual.totals.accepted == expected.accepted &&
                    actual_bad == expected_bad;
        EXPECT_EQ(actual.balances, expected.balances);
        EXPECT_EQ(actual.rejected, expected.rejected);
        EXPECT_EQ(actual.scale, expected.scale);
        EXPECT_EQ(actual.totals.accepted, expected.accepted);
        EXPECT_EQ(actual_bad.size(), expected_bad.size());
        EXPECT_TRUE(actual_bad == expected_bad);
        if (!same) {
            ADD_FAILURE() << "workload:\n" << show(w);
            if (++mismatched >= 5) break;  // a few full reports are enough
        }
        for (const auto& [reason, count] : expected.rejected_by_reason) reasons_seen[reason] += count;
        bad_rows_seen += expected.bad_rows.size();
        accepted_seen += expected.accepted;
    }
    // The generator must really exercise the spec, or agreement means little.
    for (const char* reason :
         {"unknown_account", "invalid_amount", "same_account", "cross_country", "insufficient_funds"}) {
        EXPECT_GT(reasons_seen[reason], 0u) << reason << " never generated";
    }
    EXPECT_GT(bad_rows_seen, 0u);
    EXPECT_GT(accepted_seen, 100u);
}

}  // namespace
