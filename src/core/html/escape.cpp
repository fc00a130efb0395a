#include "core/html/escape.hpp"

#include <fmt/format.h>

#include "support/utf8_decode.hpp"

namespace spyglass::html {

bool is_neutralised(char32_t cp) {
  if (cp == U'\n' || cp == U'\t') return false;
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;  // C0, DEL, C1
  if (cp == 0x061C || cp == 0xFEFF) return true;
  if (cp >= 0x200B && cp <= 0x200F) return true;
  if (cp >= 0x2028 && cp <= 0x202E) return true;
  if (cp >= 0x2066 && cp <= 0x2069) return true;
  return false;
}

void append_escaped(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && !is_neutralised(byte)) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
      }
      ++pos;
      continue;
    }
    const Utf8Step step = decode_utf8_at(text, pos);
    if (!step.valid) {
      out += fmt::format("\u27E80x{:02X}\u27E9", byte);
    } else if (is_neutralised(step.code_point)) {
      out += fmt::format("\u27E8U+{:04X}\u27E9", static_cast<std::uint32_t>(step.code_point));
    } else {
      out.append(text.substr(pos, step.length));
    }
    pos += step.length;
  }
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

void append_escaped_bounded(std::string& out, std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    append_escaped(out, text);
    return;
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
  append_escaped(out, text.substr(0, cut));
  out += fmt::format("\u2026 [+{} bytes]", text.size() - cut);
}

}  // namespace spyglass::html
