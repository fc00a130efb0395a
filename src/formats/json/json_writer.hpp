#pragma once
// JSON text exactly as Python writes it, so that MVT-compatible outputs are byte-identical
// to what `json.dump(obj, f, indent=4)` produces (ensure_ascii=True):
//  * non-ASCII as \uXXXX (lower-case hex, surrogate pairs above U+FFFF), control and DEL
//    characters as \n \r \t \b \f or \u00XX, '"' and '\' escaped, '/' not escaped;
//  * ", " never at line ends: "," then newline; ": " between key and value; "[]" and "{}"
//    for empty containers;
//  * doubles as Python's repr (shortest round-trip: 1.0, 0.1, 1e-05, 1e+16), NaN and
//    infinities as NaN / Infinity / -Infinity (Python's allow_nan default);
//  * strings that are not valid UTF-8: each invalid byte is written as the four characters
//    \xNN (support/utf8_decode.hpp), so the JSON text holds "\\xNN", as MVT's encoder
//    writes bytes decoded with backslashreplace.
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "formats/json/json_value.hpp"

namespace spyglass::json {

// json.dumps(value, indent=indent); indent 0 still breaks lines, as Python does.
std::string to_python_json(const Value& value, int indent = 4);
// Appends `value` indented as if it sat at nesting `level` (used by the streaming writer).
void append_python_json(std::string& out, const Value& value, int indent, int level);

// json.dumps(value): one line, separators ", " and ": " (for JSON lines outputs).
std::string to_json_line(const Value& value);

// Python's repr(): {'key': 'value', 'n': 1, 'b': True, 'x': None}. Strings use Python's
// quote choice and escapes; non-ASCII characters stay literal unless Python would escape
// them (controls, separators, format characters, private use; unassigned code points are
// not known here and stay literal).
std::string to_python_repr(const Value& value);

// repr(float) as Python 3 prints it, and the JSON spelling (NaN/Infinity differ).
std::string python_float_repr(double value);
// A string as a JSON string literal with quotes (ensure_ascii).
void append_json_string(std::string& out, std::string_view text);

// Writes a top-level list element by element, so `<slug>.json` can be written while
// records stream with memory bounded by one record plus a 1 MiB buffer. The bytes equal
// to_python_json() of the whole list. The caller owns the stream and checks its state
// (after close(): write failures may only show then).
class ArrayStreamWriter {
 public:
  explicit ArrayStreamWriter(std::ostream& out, int indent = 4) : out_(out), indent_(indent) {}
  ArrayStreamWriter(const ArrayStreamWriter&) = delete;
  ArrayStreamWriter& operator=(const ArrayStreamWriter&) = delete;
  ~ArrayStreamWriter();

  void write(const Value& item);
  // Writes the closing bracket ("[]" when nothing was written) and everything buffered;
  // idempotent. Until then, items may sit in this writer's buffer.
  void close();
  std::size_t count() const { return count_; }

 private:
  static constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
  void flush();

  std::ostream& out_;
  int indent_;
  std::size_t count_ = 0;
  bool closed_ = false;
  std::string buffer_;
};

}  // namespace spyglass::json
