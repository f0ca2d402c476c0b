#include "options.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <optional>
#include <sstream>

#include "ledger/atomic_output.hpp"
#include "ledger/errors.hpp"
#include "help_text.hpp"
#include "ledger/decimal.hpp"
#include "ledger/records.hpp"

namespace po = boost::program_options;

namespace ledger {
namespace {

[[noreturn]] void usage_error(const std::string& why) {
    throw UsageError(why + " (see ledger --help)", {});
}

template <class T>
T one_of(const std::string& option, const std::string& value, std::initializer_list<std::pair<const char*, T>> choices) {
    std::string names;
    for (const auto& [name, choice] : choices) {
        if (value == name) return choice;
        names += names.empty() ? name : std::string("|") + name;
    }
    usage_error("--" + option + " must be " + names + ", not '" + value + "'");
}

// Two outputs at one path would leave one of them (the balances under the report, say) after a run that
// says it succeeded, and an output at an input's path would replace the input: both are refused. One
// exception: the balances may replace the accounts file they were computed from (a day rolled forward in
// place), since they are renamed into place only after a run that succeeded.
// Compared after resolving the directories and symbolic links that exist.
void check_distinct_files(const Options& o) {
    // `-` is stdout (atomic_output.hpp): two outputs there would run together into one stream.
    std::string on_stdout;
    for (const auto& [name, value] : output_files(o)) {
        if (*value != kStdoutPath) continue;
        if (!on_stdout.empty())
            usage_error("only one output may be '-' (stdout): " + on_stdout + " and " + name + " both are");
        on_stdout = name;
    }
    std::vector<std::pair<std::string, const std::string*>> files{{"--accounts", &o.accounts}};
    for (const std::string& t : o.transactions) files.emplace_back("--transactions", &t);
    const size_t inputs = files.size();
    for (const auto& output : output_files(o)) files.push_back(output);
    // A device or FIFO is written directly, not replaced (atomic_output.hpp): several outputs may share
    // /dev/null or /dev/stdout.
    std::vector<std::optional<std::filesystem::path>> resolved;
    for (const auto& file : files) {
        if (file.second->empty()) {  // --accounts, with --db
            resolved.emplace_back();
            continue;
        }
        std::error_code error;
        if (resolved.size() >= inputs && *file.second == kStdoutPath) {
            resolved.emplace_back();
            continue;
        }
        const auto status = std::filesystem::status(*file.second, error);
        if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
            resolved.emplace_back();
            continue;
        }
        std::filesystem::path path = std::filesystem::absolute(*file.second, error);
        if (error) path = *file.second;
        const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
        resolved.push_back(error ? path.lexically_normal() : canonical);
    }
    // files[0] is --accounts and files[inputs] is --output (always given).
    for (size_t later = inputs; later < files.size(); ++later)
        for (size_t earlier = 0; earlier < later; ++earlier)
            if (resolved[earlier] && resolved[earlier] == resolved[later] && !(earlier == 0 && later == inputs))
                usage_error(files[later].first + " '" + *files[later].second + "' is the same file as " +
                            files[earlier].first + " '" + *files[earlier].second + "'");
}

// The report and metrics a bad command line still gets: none if a path clashes, since the report's own
// path may be the one in question (a report written over yesterday's balances).
ReportSinks sinks_unless_clashing(const Options& o) {
    try {
        check_distinct_files(o);
    } catch (const UsageError&) {
        return {};
    }
    return report_sinks(o);
}

// Every value on its own (the paths against each other are check_distinct_files').
// --fixed-scale N: 0 to 18 digits, written as a plain number.
std::optional<int> fixed_scale_of(const po::variables_map& vm) {
    if (!vm.count("fixed-scale")) return std::nullopt;
    const std::string& text = vm["fixed-scale"].as<std::string>();
    const bool digits = !text.empty() && text.size() <= 2 && text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(text) > kMaxScale)
        usage_error("--fixed-scale must be a number of fraction digits from 0 to " + std::to_string(kMaxScale) +
                    ", not '" + text + "'");
    return std::stoi(text);
}

void check_values(Options& o, const po::variables_map& vm, const std::string& on_bad_row, const std::string& ingest,
                  const std::string& progress, const std::string& rejected_columns) {
    o.fixed_scale = fixed_scale_of(vm);
    if (vm.count("accounts") && vm.count("db")) usage_error("--accounts and --db cannot be used together");
    if (!vm.count("accounts") && !vm.count("db")) usage_error("missing required option --accounts (or --db)");
    // With --db the balances go to the database; the CSV is optional.
    for (const char* required : {"transactions", "output"})
        if (!vm.count(required) && !(vm.count("db") && std::string(required) == "output"))
            usage_error(std::string("missing required option --") + required);
    if (vm.count("run-id") && !vm.count("db")) usage_error("--run-id needs --db");
    if (o.run_id.size() > 200) usage_error("--run-id must be at most 200 bytes");
    for (char c : o.run_id)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) usage_error("--run-id must not contain control characters");
    o.on_bad_row = one_of<BadRowPolicy>("on-bad-row", on_bad_row, {{"fail", BadRowPolicy::fail}, {"skip", BadRowPolicy::skip}});
    o.ingest = one_of<IngestMode>("ingest", ingest, {{"root", IngestMode::root}, {"parallel", IngestMode::parallel}});
    o.progress = one_of<ProgressMode>("progress", progress,
                                      {{"auto", ProgressMode::automatic}, {"on", ProgressMode::on}, {"off", ProgressMode::off}});
    one_of<int>("log-level", o.log_level, {{"error", 0}, {"warn", 1}, {"info", 2}, {"debug", 3}});
    o.rejected_columns = one_of<RejectedColumns>("rejected-columns", rejected_columns,
                                                 {{"plain", RejectedColumns::plain}, {"traced", RejectedColumns::traced}});
    if (o.rejected_columns == RejectedColumns::traced && !vm.count("rejected"))
        usage_error("--rejected-columns traced needs --rejected");
    if (!o.quarantine.empty() && o.on_bad_row != BadRowPolicy::skip)
        usage_error("--quarantine needs --on-bad-row skip");
    // Given but empty is a slip (an unset shell variable), not a wish to skip that output.
    for (const auto& [name, value] :
         {std::pair{"accounts", &o.accounts}, {"db", &o.db}, {"run-id", &o.run_id}, {"output", &o.output}, {"rejected", &o.rejected}, {"report", &o.report},
          {"metrics-file", &o.metrics_file}, {"pushgateway", &o.pushgateway}, {"quarantine", &o.quarantine}})
        if (vm.count(name) && value->empty()) usage_error(std::string("--") + name + " must not be empty");
    for (const std::string& t : o.transactions)
        if (t.empty()) usage_error("--transactions must not be empty");
    if (o.transactions.size() > kMaxTransactionFiles)
        usage_error("--transactions may be given at most " + std::to_string(kMaxTransactionFiles) + " times");
    // An input is mapped and read in parts by several ranks, which a stream cannot be.
    std::vector<std::pair<const char*, const std::string*>> inputs{{"--accounts", &o.accounts}};
    for (const std::string& t : o.transactions) inputs.emplace_back("--transactions", &t);
    for (const auto& [name, path] : inputs)
        if (*path == kStdoutPath)
            usage_error(std::string(name) + " cannot read stdin ('-'): give the path of a file (./- for a file "
                        "named '-')");
}

}  // namespace

std::vector<std::pair<std::string, const std::string*>> output_files(const Options& o) {
    std::vector<std::pair<std::string, const std::string*>> files;
    for (const auto& [name, value] : {std::pair{"--output", &o.output}, {"--rejected", &o.rejected},
                                      {"--quarantine", &o.quarantine}, {"--report", &o.report},
                                      {"--metrics-file", &o.metrics_file}})
        if (!value->empty()) files.emplace_back(name, value);
    return files;
}

std::string_view ingest_name(IngestMode mode) { return mode == IngestMode::root ? "root" : "parallel"; }

Options parse_options(int argc, const char* const argv[]) {
    Options o;
    std::string on_bad_row = "fail", ingest = "parallel", progress = "auto", rejected_columns = "plain";
    po::options_description desc(std::string(kHelpUsage), 100);
    desc.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("accounts", po::value(&o.accounts)->value_name("PATH"),
         "accounts CSV: accountNumber,country,balance (required) unless --db is given")
        ("transactions", po::value(&o.transactions)->value_name("PATH"),
         "transactions CSV: date,fromAccountNumber,transferAmount,toAccountNumber; repeat for several files, read "
         "in the order given, as one sequence (required)")
        ("db", po::value(&o.db)->value_name("CONNINFO"),
         "PostgreSQL connection string or URI: accounts read from, and closing balances written back to, "
         "ledger.accounts, exactly once per run id (instead of --accounts) (default: not used)")
        ("run-id", po::value(&o.run_id)->value_name("ID"),
         "with --db: the run's id (default: SHA-256 of the transactions files' bytes, in the order given)")
        ("output", po::value(&o.output)->value_name("PATH"),
         "closing balances CSV, same columns as the accounts file; - for stdout (required) unless --db is given")
        ("rejected", po::value(&o.rejected)->value_name("PATH"),
         "rejected transfers CSV, with the reason of each; - for stdout (default: not written)")
        ("rejected-columns", po::value(&rejected_columns)->value_name("plain|traced"),
         "plain: date,fromAccountNumber,transferAmount,toAccountNumber,reason; traced: those, then the "
         "transactions file and line of each row and the input's extra columns (default: plain)")
        ("report", po::value(&o.report)->value_name("PATH"),
         "JSON run report, written for a failed run too; - for stdout (default: not written)")
        ("metrics-file", po::value(&o.metrics_file)->value_name("PATH"),
         "Prometheus text-format metrics file, written for a failed run too; - for stdout (default: not written)")
        ("pushgateway", po::value(&o.pushgateway)->value_name("URL"),
         "push the same metrics to the Pushgateway at this base URL at the end of the run (default: not pushed)")
        ("on-bad-row", po::value(&on_bad_row)->value_name("fail|skip"),
         "a bad row stops the run (fail), or is skipped and counted (skip) (default: fail)")
        ("quarantine", po::value(&o.quarantine)->value_name("PATH"),
         "CSV of the skipped bad rows, with --on-bad-row skip; - for stdout (default: not written)")
        ("fixed-scale", po::value<std::string>()->value_name("N"),
         "write every balance and amount with exactly N fraction digits (0 to 18); an input balance with more is "
         "an error, a transfer amount with more a bad row (default: the most fraction digits in the input)")
        ("ingest", po::value(&ingest)->value_name("root|parallel"),
         "root: rank 0 reads everything; parallel: every rank reads a share (default: parallel)")
        ("log-level", po::value(&o.log_level)->value_name("LEVEL"),
         "error, warn, info or debug, on stderr (default: info)")
        ("progress", po::value(&progress)->value_name("auto|on|off"),
         "progress on stderr; auto = only when stderr is a terminal (default: auto)");

    // No abbreviations (`--acc` for --accounts): a script that relied on one would break, or change
    // meaning, when an option is added.
    const auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::variables_map vm;
    std::string stray;
    try {
        const po::parsed_options parsed = po::command_line_parser(argc, argv).options(desc).style(style).run();
        for (const po::option& option : parsed.options)
            if (option.position_key >= 0 && stray.empty()) stray = option.value.front();
        po::store(parsed, vm);
        po::notify(vm);
    } catch (const po::error& e) {
        // Read the sinks past the unknown option, if the rest allows it, so that the failure is reported.
        ReportSinks sinks;
        try {
            po::variables_map lenient;
            po::store(po::command_line_parser(argc, argv).options(desc).style(style).allow_unregistered().run(), lenient);
            po::notify(lenient);
            sinks = sinks_unless_clashing(o);
        } catch (const po::error&) {
            // nothing more can be read: no report
        }
        throw UsageError(std::string(e.what()) + " (see ledger --help)", sinks);
    }
    std::ostringstream help;
    help << desc << kHelpEpilogue;
    o.help_text = help.str();
    o.show_help = vm.count("help") > 0;
    o.show_version = vm.count("version") > 0;
    if (o.show_help || o.show_version) return o;

    try {
        // A second file after --transactions would otherwise be dropped without a word.
        if (!stray.empty()) usage_error("unexpected argument '" + stray + "' (each transactions file needs its own --transactions)");
        check_values(o, vm, on_bad_row, ingest, progress, rejected_columns);
    } catch (const UsageError& e) {
        // The sinks are read by now; an empty one is not asked for (and is itself the error).
        throw UsageError(e.what(), sinks_unless_clashing(o));
    }
    check_distinct_files(o);
    return o;
}

}  // namespace ledger
