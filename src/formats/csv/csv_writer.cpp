#include "formats/csv/csv_writer.hpp"

#include "support/utf8_decode.hpp"

namespace spyglass::csv {

std::string format_row(const std::vector<Field>& fields) {
  std::string out;
  bool first = true;
  for (const Field& field : fields) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    if (field) {
      for (const char c : utf8_backslashreplace(*field)) {
        if (c == '"' || c == '\\') out.push_back(c == '"' ? '"' : '\\');
        out.push_back(c);
      }
    }
    out.push_back('"');
  }
  out += "\r\n";
  return out;
}

void Writer::write_row(const std::vector<Field>& fields) {
  const std::string row = format_row(fields);
  out_.write(row.data(), static_cast<std::streamsize>(row.size()));
}

}  // namespace spyglass::csv
