// The reference twin of the whole core pipeline: a single-process replay written from the spec alone,
// independently of src/core and as plainly as possible, so that a test can run it beside the fast core
// on the same bytes and demand identical output.
//
// Deliberately simple: CSV split character by character, decimals and dates matched by std::regex,
// days counted by walking years and months one at a time, balances in a std::map keyed by the account
// string, order by std::stable_sort on the instant of rows kept in input order, and the spec's five
// checks written out in its order. Nothing here is fast and nothing here is shared with the job.
//
// Scope: well-formed CSV (the generator that feeds it never writes stray or unterminated quotes).
// Row-level input errors it knows (and calls bad rows): wrong field count, empty or over-long id or
// country, an amount outside `[+-]digits[.1-18 digits]`, a date outside the spec's grammar or
// impossible on the calendar. Duplicate accounts throw std::runtime_error.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reference {

using Money = __int128;

// ---------------------------------------------------------------- CSV

struct Record {
    std::vector<std::string> fields;  // unquoted, spaces around removed
    uint64_t line = 0;                // physical line where the record starts
};

inline bool at_line_end(std::string_view text, size_t i) {
    return i < text.size() && (text[i] == '\n' || (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n'));
}

inline size_t skip_line_end(std::string_view text, size_t i) { return text[i] == '\r' ? i + 2 : i + 1; }

inline std::vector<Record> split_csv(std::string_view text) {
    std::vector<Record> records;
    size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    uint64_t line = 1;
    while (i < text.size()) {
        if (at_line_end(text, i)) {  // a blank line
            i = skip_line_end(text, i);
            ++line;
            continue;
        }
        Record record;
        record.line = line;
        for (;;) {
            std::string field;
            while (i < text.size() && text[i] == ' ') ++i;
            if (i < text.size() && text[i] == '"') {
                ++i;
                for (;;) {
                    if (i >= text.size()) throw std::runtime_error("reference: unterminated quote");
                    if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                    } else if (text[i] == '"') {
                        ++i;
                        break;
                    } else {
                        if (text[i] == '\n') ++line;
                        field += text[i++];
                    }
                }
                while (i < text.size() && text[i] == ' ') ++i;
            } else {
                while (i < text.size() && text[i] != ',' && !at_line_end(text, i)) field += text[i++];
                while (!field.empty() && field.back() == ' ') field.pop_back();
            }
            record.fields.push_back(field);
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            break;
        }
        if (i < text.size()) {
            if (!at_line_end(text, i)) throw std::runtime_error("reference: text after a quoted field");
            i = skip_line_end(text, i);
            ++line;
        }
        records.push_back(std::move(record));
    }
    return records;
}

inline std::string csv_field(const std::string& value) {
    bool needs_quotes = value.find_first_of(",\"\r\n") != std::string::npos ||
                        (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!needs_quotes) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// ---------------------------------------------------------------- money

struct Amount {
    Money units = 0;
    int scale = 0;
};

inline std::optional<Amount> parse_amount(const std::string& text) {
    static const std::regex pattern("([+-]?)([0-9]+)(?:\\.([0-9]{1,18}))?");
    std::smatch m;
    if (!std::regex_match(text, m, pattern)) return std::nullopt;
    std::string digits = m[2].str() + m[3].str();
    Money value = 0;
    for (char c : digits) {
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value)) {
            return std::nullopt;
        }
    }
    if (m[1].str() == "-") value = -value;
    return Amount{value, int(m[3].length())};
}

inline Money times_power_of_ten(Money value, int exponent) {
    for (int k = 0; k < exponent; ++k) {
        if (__builtin_mul_overflow(value, 10, &value)) throw std::runtime_error("reference: overflow");
    }
    return value;
}

inline std::string money_text(Money units, int scale) {
    bool negative = units < 0;
    unsigned __int128 magnitude = negative ? 0 - (unsigned __int128)units : (unsigned __int128)units;
    std::string digits;
    do {
        digits.insert(digits.begin(), char('0' + int(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude != 0);
    while (digits.size() < size_t(scale) + 1) digits.insert(digits.begin(), '0');
    if (scale > 0) digits.insert(digits.end() - scale, '.');
    return (negative ? "-" : "") + digits;
}

// ---------------------------------------------------------------- time

struct When {
    int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
    int64_t nanos = 0;
    bool operator<(const When& o) const { return seconds != o.seconds ? seconds < o.seconds : nanos < o.nanos; }
};

inline bool is_leap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

inline int days_in_month(int64_t year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
}

inline std::optional<When> parse_when(const std::string& text) {
    static const std::regex pattern(
        "([0-9]{4})-([0-9]{2})-([0-9]{2})"
        "(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?");
    std::smatch m;
    if (!std::regex_match(text, m, pattern)) return std::nullopt;
    auto number = [&](int group) { return m[group].matched ? std::stoll(m[group].str()) : 0LL; };
    int64_t year = number(1), month = number(2), day = number(3);
    int64_t hour = number(4), minute = number(5), second = number(6);
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, int(month))) return std::nullopt;
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;

    int64_t days = 0;
    for (int64_t y = 1970; y < year; ++y) days += is_leap(y) ? 366 : 365;
    for (int64_t y = year; y < 1970; ++y) days -= is_leap(y) ? 366 : 365;
    for (int mo = 1; mo < month; ++mo) days += days_in_month(year, mo);
    days += day - 1;

    int64_t offset_seconds = 0;
    std::string zone = m[8].str();
    if (zone.size() == 6) {
        int64_t oh = std::stoll(zone.substr(1, 2)), om = std::stoll(zone.substr(4, 2));
        if (oh > 23 || om > 59) return std::nullopt;
        offset_seconds = (zone[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    std::string fraction = m[7].str();
    while (fraction.size() < 9) fraction += '0';
    When when;
    when.seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
    when.nanos = std::stoll(fraction);
    return when;
}

// ---------------------------------------------------------------- the replay

struct BadRowAt {
    uint32_t file_index = 0;  // 0 = accounts, 1.. = transactions files in order
    uint64_t line = 0;
    bool operator==(const BadRowAt&) const = default;
    bool operator<(const BadRowAt& o) const {
        return file_index != o.file_index ? file_index < o.file_index : line < o.line;
    }
};

struct Result {
    std::string balances;  // accountNumber,country,balance
    std::string rejected;  // date,fromAccountNumber,transferAmount,toAccountNumber,reason
    std::vector<BadRowAt> bad_rows;
    std::map<std::string, uint64_t> rejected_by_reason;
    uint64_t accepted = 0;
    int scale = 0;
};

inline std::vector<size_t> find_columns(const Record& header, const std::vector<std::string>& names) {
    std::vector<size_t> columns;
    for (const std::string& name : names) {
        auto at = std::find(header.fields.begin(), header.fields.end(), name);
        if (at == header.fields.end()) throw std::runtime_error("reference: missing column " + name);
        columns.push_back(size_t(at - header.fields.begin()));
    }
    return columns;
}

inline bool good_id(const std::string& id) { return !id.empty() && id.size() <= 64; }

inline Result replay(std::string_view accounts_csv, const std::vector<std::string>& transaction_csvs) {
    Result result;
    int scale = 0;

    // Accounts.
    std::vector<Record> account_records = split_csv(accounts_csv);
    if (account_records.empty()) throw std::runtime_error("reference: no accounts header");
    std::vector<size_t> ac = find_columns(account_records[0], {"accountNumber", "country", "balance"});
    struct Account {
        std::string id, country;
        Amount opening;
    };
    std::vector<Account> accounts;
    std::map<std::string, std::string> country_of;
    for (size_t r = 1; r < account_records.size(); ++r) {
        const Record& rec = account_records[r];
        std::optional<Amount> balance;
        if (rec.fields.size() == account_records[0].fields.size()) balance = parse_amount(rec.fields[ac[2]]);
        if (!balance || !good_id(rec.fields[ac[0]]) || !good_id(rec.fields[ac[1]])) {
            result.bad_rows.push_back({0, rec.line});
            continue;
        }
        const std::string& id = rec.fields[ac[0]];
        if (country_of.count(id)) throw std::runtime_error("reference: duplicate account " + id);
        country_of[id] = rec.fields[ac[1]];
        accounts.push_back({id, rec.fields[ac[1]], *balance});
        scale = std::max(scale, balance->scale);
    }

    // Transfers, in input order: file order, then record order.
    struct Row {
        When when;
        std::string date, from, amount_text, to;
        Amount amount;
    };
    std::vector<Row> rows;
    for (size_t f = 0; f < transaction_csvs.size(); ++f) {
        std::vector<Record> records = split_csv(transaction_csvs[f]);
        if (records.empty()) throw std::runtime_error("reference: no transactions header");
        std::vector<size_t> tc =
            find_columns(records[0], {"date", "fromAccountNumber", "transferAmount", "toAccountNumber"});
        for (size_t r = 1; r < records.size(); ++r) {
            const Record& rec = records[r];
            std::optional<When> when;
            std::optional<Amount> amount;
            if (rec.fields.size() == records[0].fields.size()) {
                when = parse_when(rec.fields[tc[0]]);
                amount = parse_amount(rec.fields[tc[2]]);
            }
            if (!when || !amount || !good_id(rec.fields[tc[1]]) || !good_id(rec.fields[tc[3]])) {
                result.bad_rows.push_back({uint32_t(f + 1), rec.line});
                continue;
            }
            rows.push_back({*when, rec.fields[tc[0]], rec.fields[tc[1]], rec.fields[tc[2]], rec.fields[tc[3]],
                            *amount});
            scale = std::max(scale, amount->scale);
        }
    }

    // Everything at the run's scale.
    std::map<std::string, Money> balance;
    for (const Account& a : accounts) balance[a.id] = times_power_of_ten(a.opening.units, scale - a.opening.scale);

    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.when < b.when; });

    result.rejected = "date,fromAccountNumber,transferAmount,toAccountNumber,reason\n";
    for (const Row& row : rows) {
        Money amount = times_power_of_ten(row.amount.units, scale - row.amount.scale);
        std::string reason;
        if (!balance.count(row.from) || !balance.count(row.to)) {
            reason = "unknown_account";
        } else if (amount <= 0) {
            reason = "invalid_amount";
        } else if (row.from == row.to) {
            reason = "same_account";
        } else if (country_of[row.from] != country_of[row.to]) {
            reason = "cross_country";
        } else if (balance[row.from] < amount) {
            reason = "insufficient_funds";
        }
        if (reason.empty()) {
            balance[row.from] -= amount;
            balance[row.to] += amount;
            ++result.accepted;
        } else {
            ++result.rejected_by_reason[reason];
            result.rejected += csv_field(row.date) + "," + csv_field(row.from) + "," + csv_field(row.amount_text) +
                               "," + csv_field(row.to) + "," + reason + "\n";
        }
    }

    result.balances = "accountNumber,country,balance\n";
    for (const Account& a : accounts) {
        result.balances +=
            csv_field(a.id) + "," + csv_field(a.country) + "," + money_text(balance[a.id], scale) + "\n";
    }
    result.scale = scale;
    return result;
}

}  // namespace reference
