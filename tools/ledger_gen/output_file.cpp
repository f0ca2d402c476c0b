#include "output_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ledger_gen {
namespace {

[[noreturn]] void io_error(const std::string& what, const std::string& path, int error_number) {
    std::fprintf(stderr, "ledger-gen: %s %s: %s\n", what.c_str(), path.c_str(), std::strerror(error_number));
    std::exit(4);
}

}  // namespace

OutputFile::OutputFile(const std::string& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) io_error("cannot create", path, errno);
    buffer_.reserve(kBlockBytes + (size_t{1} << 16));  // one row past the block size never reallocates
    in_flight_.reserve(buffer_.capacity());
}

OutputFile::~OutputFile() {
    if (pending_.valid()) pending_.wait();
    if (file_ != nullptr) std::fclose(file_);
}

void OutputFile::wait_for_pending_write() {
    if (!pending_.valid()) return;
    if (int error_number = pending_.get(); error_number != 0) io_error("cannot write", path_, error_number);
}

void OutputFile::flush() {
    wait_for_pending_write();
    if (buffer_.empty()) return;
    in_flight_.swap(buffer_);
    buffer_.clear();
    bytes_ += in_flight_.size();
    pending_ = std::async(std::launch::async, [this] {
        const bool ok = std::fwrite(in_flight_.data(), 1, in_flight_.size(), file_) == in_flight_.size();
        return ok ? 0 : (errno != 0 ? errno : EIO);
    });
}

void OutputFile::close() {
    flush();
    wait_for_pending_write();
    std::FILE* file = file_;
    file_ = nullptr;
    if (std::fclose(file) != 0) io_error("cannot write", path_, errno);
    std::fprintf(stderr, "ledger-gen: wrote %s: %llu %s, %llu bytes\n", path_.c_str(),
                 static_cast<unsigned long long>(rows_), rows_ == 1 ? "row" : "rows",
                 static_cast<unsigned long long>(bytes_));
}

}  // namespace ledger_gen
