#pragma once
// CSV as Python's csv.writer(f, quoting=csv.QUOTE_ALL, escapechar="\\") writes it, the
// dialect of MVT's timeline.csv and alerts_timeline.csv:
//  * every field in double quotes, an embedded '"' doubled, '\' written as "\\";
//  * newlines and carriage returns stay raw inside the quotes;
//  * a missing value (None) is an empty quoted field "" (QUOTE_ALL quotes None too);
//  * rows end with "\r\n";
//  * invalid UTF-8 bytes are written as "\xNN" text (support/utf8_decode.hpp), so the
//    file is valid UTF-8; the backslash of that replacement is then escaped like any other.
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace spyglass::csv {

using Field = std::optional<std::string>;

// One row, terminator included.
std::string format_row(const std::vector<Field>& fields);
// Appends one quoted field (no separator), as format_row writes it.
void append_field(std::string& out, std::string_view field);

class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) {}
  void write_row(const std::vector<Field>& fields);

 private:
  std::ostream& out_;
};

}  // namespace spyglass::csv
