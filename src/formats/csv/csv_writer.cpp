#include "formats/csv/csv_writer.hpp"

#include "support/utf8_decode.hpp"

namespace spyglass::csv {

namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back(c == '"' ? '"' : '\\');
    out.push_back(c);
  }
}

}  // namespace

void append_field(std::string& out, std::string_view field) {
  out.push_back('"');
  // ASCII is its own backslashreplace: only text from the first non-ASCII byte on is
  // decoded (timelines write hundreds of thousands of mostly ASCII fields).
  std::size_t ascii = 0;
  while (ascii < field.size() && static_cast<unsigned char>(field[ascii]) < 0x80) ++ascii;
  append_escaped(out, field.substr(0, ascii));
  if (ascii < field.size()) append_escaped(out, utf8_backslashreplace(field.substr(ascii)));
  out.push_back('"');
}

std::string format_row(const std::vector<Field>& fields) {
  std::string out;
  bool first = true;
  for (const Field& field : fields) {
    if (!first) out.push_back(',');
    first = false;
    if (field) {
      append_field(out, *field);
    } else {
      out += "\"\"";
    }
  }
  out += "\r\n";
  return out;
}

void Writer::write_row(const std::vector<Field>& fields) {
  const std::string row = format_row(fields);
  out_.write(row.data(), static_cast<std::streamsize>(row.size()));
}

}  // namespace spyglass::csv
