// ledger-gen: synthetic workloads for the tests and benchmarks of ledger. Deliberately independent of the
// job's own code (standard library only), so that a bug in the job's CSV or date handling cannot hide
// by also shaping the data it is tested with.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "options.hpp"
#include "population.hpp"
#include "transfer_rows.hpp"

int main(int argc, char** argv) {
    const ledger_gen::Options options = ledger_gen::parse_options(argc, argv);
    std::error_code error;
    std::filesystem::create_directories(options.out_dir, error);
    if (error) {
        std::fprintf(stderr, "ledger-gen: cannot create %s: %s\n", options.out_dir.c_str(), error.message().c_str());
        return 4;
    }
    const ledger_gen::Population population(options);
    population.write_accounts_file(options.out_dir + "/accounts.csv");
    ledger_gen::write_transaction_files(options, population);
    return 0;
}
