#include "formats/json/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "support/utf8_decode.hpp"

namespace spyglass::json {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint32_t v, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kHex[(v >> shift) & 0xFU]);
  }
}

void append_u_escape(std::string& out, std::uint32_t unit) {
  out += "\\u";
  append_hex(out, unit, 4);
}

void append_int(std::string& out, std::int64_t v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_double_json(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    out += python_float_repr(v);
  }
}

void newline_indent(std::string& out, int indent, int level) {
  static constexpr std::string_view kSpaces =
      "\n                                                                "
      "                                                                ";
  const std::size_t n = static_cast<std::size_t>(indent) * static_cast<std::size_t>(level);
  if (n < kSpaces.size()) {
    out.append(kSpaces.data(), n + 1);
    return;
  }
  out.push_back('\n');
  out.append(n, ' ');
}

// Code points for which Python's str.isprintable() is false outside ASCII: categories Cc,
// Cf, Zs, Zl, Zp, Co and Cs (surrogates cannot occur in decoded UTF-8). Listed from the
// Unicode character database; unassigned code points (Cn) are not covered.
bool python_unprintable(char32_t c) {
  if (c >= 0x80 && c <= 0xA0) return true;
  if (c == 0xAD || c == 0x061C || c == 0x06DD || c == 0x070F || c == 0x08E2 || c == 0x180E ||
      c == 0x1680 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF ||
      c == 0x110BD || c == 0x110CD || c == 0xE0001) {
    return true;
  }
  if (c >= 0x0600 && c <= 0x0605) return true;
  if (c >= 0x0890 && c <= 0x0891) return true;
  if (c >= 0x2000 && c <= 0x200F) return true;
  if (c >= 0x2028 && c <= 0x202E) return true;
  if (c >= 0x2060 && c <= 0x206F) return true;
  if (c >= 0xFFF9 && c <= 0xFFFB) return true;
  if (c >= 0x13430 && c <= 0x1343F) return true;
  if (c >= 0x1BCA0 && c <= 0x1BCA3) return true;
  if (c >= 0x1D173 && c <= 0x1D17A) return true;
  if (c >= 0xE0020 && c <= 0xE007F) return true;
  if (c >= 0xE000 && c <= 0xF8FF) return true;
  if (c >= 0xF0000) return true;  // planes 15-16: private use
  return false;
}

void append_repr_string(std::string& out, std::string_view raw) {
  // Invalid bytes first become the characters "\xNN", as MVT's data would hold them.
  const std::string text = utf8_backslashreplace(raw);
  const bool has_single = text.find('\'') != std::string::npos;
  const bool has_double = text.find('"') != std::string::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  out.push_back(quote);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8Step step = decode_utf8_at(text, pos);
    const char32_t c = step.code_point;
    if (c == static_cast<char32_t>(quote) || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      append_hex(out, static_cast<std::uint32_t>(c), 2);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (python_unprintable(c)) {
      const auto v = static_cast<std::uint32_t>(c);
      if (v <= 0xFF) {
        out += "\\x";
        append_hex(out, v, 2);
      } else if (v <= 0xFFFF) {
        out += "\\u";
        append_hex(out, v, 4);
      } else {
        out += "\\U";
        append_hex(out, v, 8);
      }
    } else {
      out.append(text, pos, step.length);
    }
    pos += step.length;
  }
  out.push_back(quote);
}

void append_repr(std::string& out, const Value& value) {
  switch (value.type()) {
    case Type::kNull:
      out += "None";
      break;
    case Type::kBool:
      out += value.as_bool() ? "True" : "False";
      break;
    case Type::kInt:
      append_int(out, value.as_int());
      break;
    case Type::kDouble: {
      const double d = value.as_double();
      if (std::isnan(d)) {
        out += "nan";
      } else if (std::isinf(d)) {
        out += d > 0 ? "inf" : "-inf";
      } else {
        out += python_float_repr(d);
      }
      break;
    }
    case Type::kString:
      append_repr_string(out, value.as_string());
      break;
    case Type::kArray: {
      out.push_back('[');
      bool first = true;
      for (const Value& item : value.as_array()) {
        if (!first) out += ", ";
        first = false;
        append_repr(out, item);
      }
      out.push_back(']');
      break;
    }
    case Type::kObject: {
      out.push_back('{');
      bool first = true;
      for (const Member& m : value.as_object()) {
        if (!first) out += ", ";
        first = false;
        append_repr_string(out, m.key);
        out += ": ";
        append_repr(out, m.value);
      }
      out.push_back('}');
      break;
    }
  }
}

void append_line(std::string& out, const Value& value) {
  switch (value.type()) {
    case Type::kArray: {
      out.push_back('[');
      bool first = true;
      for (const Value& item : value.as_array()) {
        if (!first) out += ", ";
        first = false;
        append_line(out, item);
      }
      out.push_back(']');
      return;
    }
    case Type::kObject: {
      out.push_back('{');
      bool first = true;
      for (const Member& m : value.as_object()) {
        if (!first) out += ", ";
        first = false;
        append_json_string(out, m.key);
        out += ": ";
        append_line(out, m.value);
      }
      out.push_back('}');
      return;
    }
    default:
      append_python_json(out, value, 0, 0);  // scalars print the same either way
  }
}

}  // namespace

std::string python_float_repr(double value) {
  // Shortest round-trip digits come from to_chars; Python's 'r' formatting then picks
  // fixed notation for decimal exponents in [-4, 16) and scientific otherwise.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  std::string out;
  std::size_t i = 0;
  if (sci[i] == '-') {
    out.push_back('-');
    ++i;
  }
  std::string digits;
  for (; i < sci.size() && sci[i] != 'e'; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  int exponent = 0;
  std::from_chars(sci.data() + i + 1 + (sci[i + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  const int decpt = exponent + 1;
  const int ndigits = static_cast<int>(digits.size());
  if (decpt <= -4 || decpt > 16) {
    out.push_back(digits[0]);
    if (ndigits > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(exponent < 0 ? '-' : '+');
    const int mag = exponent < 0 ? -exponent : exponent;
    if (mag < 10) out.push_back('0');
    append_int(out, mag);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-decpt), '0');
    out += digits;
  } else if (decpt >= ndigits) {
    out += digits;
    out.append(static_cast<std::size_t>(decpt - ndigits), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<std::size_t>(decpt));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(decpt));
  }
  return out;
}

namespace {

// Escapes of the ASCII bytes: 0 = as is, 'u' = \u00XX, else the letter after a backslash.
constexpr std::array<char, 128> make_ascii_escapes() {
  std::array<char, 128> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = 'u';
  t[0x7F] = 'u';
  t['"'] = '"';
  t['\\'] = '\\';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['\b'] = 'b';
  t['\f'] = 'f';
  return t;
}
constexpr std::array<char, 128> kAsciiEscapes = make_ascii_escapes();

// Non-ASCII text: invalid bytes become "\xNN" first, then every character is escaped.
void append_json_escaped_unicode(std::string& out, std::string_view raw) {
  const std::string text = utf8_backslashreplace(raw);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8Step step = decode_utf8_at(text, pos);
    const auto c = static_cast<std::uint32_t>(step.code_point);
    pos += step.length;
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x10000) {
      append_u_escape(out, c);
    } else {
      const std::uint32_t v = c - 0x10000;
      append_u_escape(out, 0xD800 | (v >> 10));
      append_u_escape(out, 0xDC00 | (v & 0x3FF));
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view raw) {
  // Records are mostly ASCII: runs of plain bytes are copied whole, and only text from the
  // first non-ASCII byte on takes the decoding path (ASCII is its own backslashreplace).
  out.push_back('"');
  const char* p = raw.data();
  const char* const end = p + raw.size();
  const char* run = p;
  for (; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80) break;
    const char esc = kAsciiEscapes[c];
    if (esc == 0) continue;
    out.append(run, static_cast<std::size_t>(p - run));
    run = p + 1;
    if (esc == 'u') {
      append_u_escape(out, c);
    } else {
      out.push_back('\\');
      out.push_back(esc);
    }
  }
  out.append(run, static_cast<std::size_t>(p - run));
  if (p != end) append_json_escaped_unicode(out, std::string_view(p, static_cast<std::size_t>(end - p)));
  out.push_back('"');
}

void append_python_json(std::string& out, const Value& value, int indent, int level) {
  switch (value.type()) {
    case Type::kNull:
      out += "null";
      return;
    case Type::kBool:
      out += value.as_bool() ? "true" : "false";
      return;
    case Type::kInt:
      append_int(out, value.as_int());
      return;
    case Type::kDouble:
      append_double_json(out, value.as_double());
      return;
    case Type::kString:
      append_json_string(out, value.as_string());
      return;
    case Type::kArray: {
      const Array& items = value.as_array();
      if (items.empty()) {
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (const Value& item : items) {
        if (!first) out.push_back(',');
        first = false;
        newline_indent(out, indent, level + 1);
        append_python_json(out, item, indent, level + 1);
      }
      newline_indent(out, indent, level);
      out.push_back(']');
      return;
    }
    case Type::kObject: {
      const Object& members = value.as_object();
      if (members.empty()) {
        out += "{}";
        return;
      }
      out.push_back('{');
      bool first = true;
      for (const Member& m : members) {
        if (!first) out.push_back(',');
        first = false;
        newline_indent(out, indent, level + 1);
        append_json_string(out, m.key);
        out += ": ";
        append_python_json(out, m.value, indent, level + 1);
      }
      newline_indent(out, indent, level);
      out.push_back('}');
      return;
    }
  }
}

std::string to_python_json(const Value& value, int indent) {
  std::string out;
  append_python_json(out, value, indent, 0);
  return out;
}

std::string to_json_line(const Value& value) {
  std::string out;
  append_line(out, value);
  return out;
}

std::string to_python_repr(const Value& value) {
  std::string out;
  append_repr(out, value);
  return out;
}

ArrayStreamWriter::~ArrayStreamWriter() { close(); }

void ArrayStreamWriter::write(const Value& item) {
  buffer_ += count_ == 0 ? "[" : ",";
  newline_indent(buffer_, indent_, 1);
  append_python_json(buffer_, item, indent_, 1);
  ++count_;
  // Handed over in large pieces: libstdc++'s filebuf writes any piece of 1 KiB or more
  // straight through with a system call, which per record was most of the cost.
  if (buffer_.size() >= kFlushBytes) flush();
}

void ArrayStreamWriter::flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void ArrayStreamWriter::close() {
  if (closed_) return;
  closed_ = true;
  buffer_ += count_ == 0 ? "[]" : "\n]";
  flush();
}

}  // namespace spyglass::json
