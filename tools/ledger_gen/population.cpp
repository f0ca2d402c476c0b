#include "population.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <string_view>

#include "money_text.hpp"
#include "output_file.hpp"
#include "row_writer.hpp"
#include "zipf.hpp"

namespace ledger_gen {
namespace {

// Opening balances are on average eight times the mean transfer (about 500): in this range about one
// transfer in twelve finds its sender short, drifting up as the replay spreads balances out.
constexpr uint64_t kMaxOpeningWhole = 8000;
constexpr double kZeroBalanceShare = 0.01;
constexpr double kNegativeBalanceShare = 0.005;  // overdrawn accounts: valid input, can only receive

// Two letters for the first 676 countries, then three, and so on. The stride 7 (coprime to 26) spreads
// neighbouring indices over the alphabet, so the first countries are not AA, AB, AC.
std::string country_name(uint64_t index) {
    uint64_t length = 2, block = 26 * 26;
    while (index >= block) {
        index -= block;
        ++length;
        block *= 26;
    }
    uint64_t code = (index * 7 + 11) % block;
    std::string name(length, 'A');
    for (uint64_t i = length; i-- > 0; code /= 26) name[i] = char('A' + code % 26);
    return name;
}

uint64_t inverse_modulo(uint64_t value, uint64_t modulus) {
    // Extended Euclid on signed 128-bit values; `value` is coprime to `modulus` by construction.
    __int128 r0 = modulus, r1 = value, t0 = 0, t1 = 1;
    while (r1 != 0) {
        const __int128 q = r0 / r1;
        __int128 next = r0 - q * r1;
        r0 = r1, r1 = next;
        next = t0 - q * t1;
        t0 = t1, t1 = next;
    }
    return uint64_t(t0 < 0 ? t0 + modulus : t0);
}

Money draw_balance(Rng& rng, const Options& options, const Chance& zero, const Chance& negative,
                   const Chance& mixed) {
    const bool is_zero = zero.hit(rng);
    const bool is_negative = negative.hit(rng);
    const uint64_t whole = rng.below(kMaxOpeningWhole);
    Money m = draw_fraction(rng, options.decimals, mixed);
    m.whole = whole;
    if (is_zero) m.whole = 0, m.fraction = 0;
    if (is_negative && !is_zero) m.negative = true, m.whole = whole % 100;
    return m;
}

}  // namespace

Population::Population(const Options& options) : options_(options) {
    Rng rng(stream_seed(options.seed, kPopulation));
    const uint64_t accounts = options.accounts, countries = options.countries;
    // At least two accounts per country when possible, so that a country can hold a valid transfer.
    const uint64_t minimum = accounts >= 2 * countries ? 2 : 1;
    const std::vector<uint64_t> counts = zipf_counts(accounts, countries, options.zipf, minimum);
    for (uint64_t c = 0; c < countries; ++c) country_names_.push_back(country_name(c));
    group_begin_.assign(countries + 1, 0);
    for (uint64_t c = 0; c < countries; ++c) group_begin_[c + 1] = group_begin_[c] + counts[c];

    // A stride near the middle of the range scatters neighbours far apart; coprime, so it permutes.
    stride_ = accounts / 4 + rng.below(accounts / 2 + 1);
    while (std::gcd(stride_, accounts) != 1) ++stride_;
    stride_ %= accounts;
    inverse_stride_ = accounts == 1 ? 0 : inverse_modulo(stride_, accounts);
    shift_ = rng.below(accounts);
}

uint32_t Population::country_of(uint64_t account) const {
    const uint64_t grouped = grouped_of(account);
    return uint32_t(std::upper_bound(group_begin_.begin(), group_begin_.end(), grouped) - group_begin_.begin() - 1);
}

void Population::append_id(std::string& out, uint64_t index) const {
    if (!options_.string_ids) {
        append_uint(out, 100000000 + index);
        return;
    }
    out.append("ACC-");
    std::string digits;
    append_uint(digits, index);
    if (digits.size() < 5) out.append(5 - digits.size(), '0');
    out.append(digits);
    out.push_back('-');
    out.push_back(char('a' + (index * 7 + 3) % 26));
}

void Population::write_accounts_file(const std::string& path) const {
    static constexpr std::array<std::string_view, 3> kColumns = {"accountNumber", "country", "balance"};
    Rng rng(stream_seed(options_.seed, kPopulation, 1));
    const Chance zero(kZeroBalanceShare), negative(kNegativeBalanceShare), mixed(options_.mixed_decimals);
    OutputFile out(path);
    RowWriter writer(options_, draw_layout(options_, kColumns.size(), 0), 0);
    writer.header(out, kColumns);
    std::string id, balance;
    for (uint64_t a = 0; a < account_count(); ++a) {
        id.clear();
        append_id(id, a);
        balance.clear();
        append_money(balance, draw_balance(rng, options_, zero, negative, mixed));
        const std::array<std::string_view, 3> fields = {id, country_names_[country_of(a)], balance};
        writer.row(out, fields);
    }
    writer.finish(out);
    out.close();
}

}  // namespace ledger_gen
