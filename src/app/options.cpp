#include "options.hpp"

#include <boost/program_options.hpp>
#include <sstream>

#include "ledger/errors.hpp"
#include "ledger/records.hpp"

namespace po = boost::program_options;

namespace ledger {
namespace {

[[noreturn]] void usage_error(const std::string& why) {
    fail(ExitCode::usage, why + " (see ledger --help)");
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

}  // namespace

std::string_view ingest_name(IngestMode mode) { return mode == IngestMode::root ? "root" : "parallel"; }

Options parse_options(int argc, const char* const argv[]) {
    Options o;
    std::string on_bad_row = "fail", ingest = "parallel", progress = "auto";
    po::options_description desc(
        "ledger: replay a day of money transfers and write every account's closing balance.\n\n"
        "Usage: mpirun -np N ledger --accounts A.csv --transactions T.csv --output OUT.csv [options]\n\nOptions");
    desc.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("accounts", po::value(&o.accounts)->value_name("PATH"), "accounts CSV (required)")
        ("transactions", po::value(&o.transactions)->value_name("PATH"),
         "transactions CSV; repeat for several files, read in the order given (required)")
        ("output", po::value(&o.output)->value_name("PATH"), "closing balances CSV (required)")
        ("rejected", po::value(&o.rejected)->value_name("PATH"), "rejected transfers CSV")
        ("report", po::value(&o.report)->value_name("PATH"), "JSON run report")
        ("metrics-file", po::value(&o.metrics_file)->value_name("PATH"), "Prometheus text-format metrics file")
        ("pushgateway", po::value(&o.pushgateway)->value_name("URL"),
         "push the same metrics to a Pushgateway at the end of the run")
        ("on-bad-row", po::value(&on_bad_row)->value_name("fail|skip"), "what to do with a bad row (default fail)")
        ("quarantine", po::value(&o.quarantine)->value_name("PATH"),
         "where skipped bad rows go (with --on-bad-row skip)")
        ("ingest", po::value(&ingest)->value_name("root|parallel"), "ingest strategy (default parallel)")
        ("log-level", po::value(&o.log_level)->value_name("LEVEL"), "error, warn, info (default) or debug")
        ("progress", po::value(&progress)->value_name("auto|on|off"),
         "progress on stderr; auto = only when stderr is a terminal (default auto)");

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        usage_error(e.what());
    }
    std::ostringstream help;
    help << desc;
    o.help_text = help.str();
    o.show_help = vm.count("help") > 0;
    o.show_version = vm.count("version") > 0;
    if (o.show_help || o.show_version) return o;

    for (const char* required : {"accounts", "transactions", "output"})
        if (!vm.count(required)) usage_error(std::string("missing required option --") + required);
    o.on_bad_row = one_of<BadRowPolicy>("on-bad-row", on_bad_row, {{"fail", BadRowPolicy::fail}, {"skip", BadRowPolicy::skip}});
    o.ingest = one_of<IngestMode>("ingest", ingest, {{"root", IngestMode::root}, {"parallel", IngestMode::parallel}});
    o.progress = one_of<ProgressMode>("progress", progress,
                                      {{"auto", ProgressMode::automatic}, {"on", ProgressMode::on}, {"off", ProgressMode::off}});
    one_of<int>("log-level", o.log_level, {{"error", 0}, {"warn", 1}, {"info", 2}, {"debug", 3}});
    if (!o.quarantine.empty() && o.on_bad_row != BadRowPolicy::skip)
        usage_error("--quarantine needs --on-bad-row skip");
    for (const auto& [name, value] : {std::pair{"accounts", &o.accounts}, {"output", &o.output}})
        if (value->empty()) usage_error(std::string("--") + name + " must not be empty");
    for (const std::string& t : o.transactions)
        if (t.empty()) usage_error("--transactions must not be empty");
    if (o.transactions.size() > kMaxTransactionFiles)
        usage_error("--transactions may be given at most " + std::to_string(kMaxTransactionFiles) + " times");
    return o;
}

}  // namespace ledger
