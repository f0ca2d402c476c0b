#include "bad_row_codec.hpp"

namespace ledger {
namespace {

void append_text(mpi::Bytes& out, const std::string& text) {
    mpi::append_value(out, uint64_t(text.size()));
    out.insert(out.end(), text.begin(), text.end());
}

std::string read_text(mpi::ByteReader& in) {
    std::string text(size_t(in.value<uint64_t>()), '\0');
    in.read_into(text.data(), text.size());
    return text;
}

}  // namespace

mpi::Bytes encode_bad_rows(std::span<const BadRow> rows) {
    mpi::Bytes out;
    mpi::append_value(out, uint64_t(rows.size()));
    for (const BadRow& row : rows) {
        mpi::append_value(out, row.file_index);
        mpi::append_value(out, row.line);
        append_text(out, row.error);
        append_text(out, row.raw);
    }
    return out;
}

void decode_bad_rows(std::span<const char> bytes, std::span<const std::string> file_names, std::vector<BadRow>& out) {
    mpi::ByteReader in(bytes);
    const auto count = in.value<uint64_t>();
    for (uint64_t i = 0; i < count; ++i) {
        BadRow row;
        row.file_index = in.value<uint32_t>();
        row.line = in.value<uint64_t>();
        row.error = read_text(in);
        row.raw = read_text(in);
        row.file = row.file_index < file_names.size() ? file_names[row.file_index] : "?";
        out.push_back(std::move(row));
    }
}

}  // namespace ledger
