#include "transfer_rows.hpp"

#include <array>
#include <string>
#include <string_view>

#include "bad_rows.hpp"
#include "date_text.hpp"
#include "money_text.hpp"
#include "output_file.hpp"
#include "random.hpp"
#include "row_writer.hpp"
#include "zipf.hpp"

namespace ledger_gen {
namespace {

constexpr std::array<std::string_view, 4> kColumns = {"date", "fromAccountNumber", "transferAmount",
                                                     "toAccountNumber"};
constexpr int64_t kStartSeconds = 978307200;  // 2001-01-01T00:00:00Z
constexpr int64_t kMaxStepSeconds = 59;       // never 0: equal instants come only from --equal-timestamps
constexpr int64_t kMaxBackwardSeconds = 7 * 86400;
constexpr int64_t kMaxForwardSeconds = 86400;
constexpr uint64_t kMaxAmountWhole = 1000;  // mean transfer about 500, see the opening balances

using Fields = std::array<std::string, 4>;

// Makes good rows in index order. Every row draws the same values in the same order whatever the
// options, so a share changes only the rows it selects.
class TransferMaker {
public:
    TransferMaker(const Options& options, const Population& population)
        : options_(options),
          population_(population),
          countries_(population.country_count(), options.zipf),
          equal_(options.equal_timestamps),
          disorder_(options.disorder),
          cross_(options.cross_country),
          unknown_(options.unknown),
          self_(options.self),
          invalid_(options.invalid_amount),
          mixed_(options.mixed_decimals) {}

    void make(uint64_t index, Fields& fields) {
        Rng rng(stream_seed(options_.seed, kRows, index));
        for (std::string& field : fields) field.clear();
        const Instant instant = draw_instant(rng, index > 0);
        draw_accounts(rng, fields[1], fields[3]);
        draw_amount(rng, fields[2]);
        write_date(rng, instant, fields[0]);
    }

    int64_t clock_seconds() const { return now_.seconds; }

private:
    Instant draw_instant(Rng& rng, bool has_previous) {
        const int64_t step = rng.between(1, kMaxStepSeconds);
        const uint64_t precision = rng.below(10);
        const uint64_t fraction = rng.below(pow10(int(precision)));
        const bool equal = equal_.hit(rng);
        const bool displaced = disorder_.hit(rng);
        int64_t displacement = rng.between(-kMaxBackwardSeconds, kMaxForwardSeconds);
        if (displacement == 0) displacement = -1;

        now_.seconds += step;
        now_.nanos = options_.offsets ? int32_t(fraction * pow10(9 - int(precision))) : 0;
        Instant instant = now_;
        if (displaced) instant.seconds += displacement;
        equal_to_previous_ = equal && has_previous;
        if (equal_to_previous_) instant = previous_;
        return instant;
    }

    void write_date(Rng& rng, Instant instant, std::string& out) {
        if (!options_.offsets) {
            dates_.append_plain(out, instant.seconds);
            previous_ = instant;
            return;
        }
        DateForm form = draw_date_form(rng);
        const Instant shown = truncate_to_form(instant, form);
        // A copied instant must stay exactly equal, so a form too coarse to show it is not used.
        if (equal_to_previous_ && (shown.seconds != instant.seconds || shown.nanos != instant.nanos)) {
            form.precision = DateForm::Precision::second;
        } else {
            instant = shown;
        }
        dates_.append(out, instant, form);
        previous_ = instant;
    }

    void draw_accounts(Rng& rng, std::string& from_id, std::string& to_id) {
        const uint32_t country = uint32_t(countries_.draw(rng));
        const uint64_t members = population_.members_in(country);
        const uint64_t from_k = rng.below(members);
        uint64_t to_k = members >= 2 ? rng.below(members - 1) : 0;
        if (members >= 2 && to_k >= from_k) ++to_k;  // another account of the same country
        uint64_t from = population_.member(country, from_k);
        uint64_t to = population_.member(country, to_k);

        const uint64_t country_total = population_.country_count();
        const bool cross = cross_.hit(rng);
        uint64_t other = country_total >= 2 ? rng.below(country_total - 1) : 0;
        if (country_total >= 2 && other >= country) ++other;
        const uint64_t other_k = rng.below(population_.members_in(uint32_t(other)));
        if (cross && country_total >= 2) to = population_.member(uint32_t(other), other_k);

        if (self_.hit(rng)) to = from;

        const bool unknown = unknown_.hit(rng);
        const uint64_t side = rng.below(3);  // from, to, or both
        const uint64_t stranger = population_.account_count() + rng.below(population_.account_count());
        const bool look_alike = rng.below(4) == 0;

        population_.append_id(from_id, from);
        population_.append_id(to_id, to);
        if (!unknown) return;
        if (side != 1) replace_with_unknown(from_id, stranger, look_alike);
        if (side != 0) replace_with_unknown(to_id, stranger, look_alike);
    }

    // Either an id past the last account, or a known id spelled differently ("0100000042" is not
    // "100000042"), which catches a job that compares integer-looking ids as numbers.
    void replace_with_unknown(std::string& id, uint64_t stranger, bool look_alike) const {
        if (look_alike) {
            if (options_.string_ids) {
                id[0] = 'a';  // ACC- becomes aCC-
            } else {
                id.insert(id.begin(), '0');
            }
            return;
        }
        id.clear();
        population_.append_id(id, stranger);
    }

    void draw_amount(Rng& rng, std::string& out) {
        const uint64_t whole = rng.below(kMaxAmountWhole);
        Money amount = draw_fraction(rng, options_.decimals, mixed_);
        amount.whole = whole;
        if (is_zero(amount)) amount.whole = 1;
        const bool invalid = invalid_.hit(rng);
        const uint64_t kind = rng.below(4);
        if (invalid) {
            if (kind <= 1) amount.whole = 0, amount.fraction = 0;  // zero, and with kind 1 "-0"
            amount.negative = kind != 0;
        }
        append_money(out, amount);
    }

    const Options& options_;
    const Population& population_;
    ZipfSampler countries_;
    Chance equal_, disorder_, cross_, unknown_, self_, invalid_, mixed_;
    Instant now_{kStartSeconds, 0};
    Instant previous_{kStartSeconds, 0};
    bool equal_to_previous_ = false;
    DateWriter dates_;
};

std::string transactions_path(const Options& options, uint64_t file) {
    std::string name = options.files == 1 ? "transactions.csv" : "transactions-" + std::to_string(file + 1) + ".csv";
    return options.out_dir + "/" + name;
}

}  // namespace

void write_transaction_files(const Options& options, const Population& population) {
    const uint64_t total = options.transactions;
    const std::vector<uint64_t> bad_positions = draw_bad_row_positions(options.seed, options.bad_rows, total);
    Rng bad_rng(stream_seed(options.seed, kBadRows, 1));
    size_t next_bad = 0;
    BadRow bad;
    TransferMaker maker(options, population);
    Fields fields;

    auto write_bad_rows_before = [&](uint64_t index, RowWriter& writer, OutputFile& out) {
        for (; next_bad < bad_positions.size() && bad_positions[next_bad] <= index; ++next_bad) {
            make_bad_row(bad_rng, population, options.decimals, maker.clock_seconds(), bad);
            const std::array<std::string_view, 4> views = {bad.fields[0], bad.fields[1], bad.fields[2],
                                                           bad.fields[3]};
            writer.bad_row(out, views, bad.field_count_delta);
        }
    };

    for (uint64_t file = 0; file < options.files; ++file) {
        // Consecutive chunks of the one sequence: K files read in order are exactly the single file.
        const uint64_t begin = total * file / options.files;
        const uint64_t end = total * (file + 1) / options.files;
        OutputFile out(transactions_path(options, file));
        RowWriter writer(options, draw_layout(options, kColumns.size(), file + 1), file + 1);
        writer.header(out, kColumns);
        for (uint64_t i = begin; i < end; ++i) {
            write_bad_rows_before(i, writer, out);
            maker.make(i, fields);
            const std::array<std::string_view, 4> views = {fields[0], fields[1], fields[2], fields[3]};
            writer.row(out, views);
        }
        if (file + 1 == options.files) write_bad_rows_before(total, writer, out);
        writer.finish(out);
        out.close();
    }
}

}  // namespace ledger_gen
