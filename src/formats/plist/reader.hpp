#pragma once
// Reads binary ("bplist00") and XML plists from memory into an owned Value.
//
// Binary plists go through our own bounded reader, not libplist: libplist 2.2 (Debian 12)
// recurses once per nesting level without a limit, so a 1 MB bplist of nested one-element
// arrays overflows the stack (see docs/architecture.md). XML plists use libplist after a
// pre-scan rejects nesting deeper than the limit, the same failure mode.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "formats/plist/value.hpp"
#include "support/error.hpp"

namespace spyglass::formats::plist {

struct Limits {
  std::size_t max_input_bytes = 256u << 20;
  std::size_t max_depth = 128;
  // Values materialised in total. A bplist object may be referenced many times, so a small
  // file could otherwise expand into a huge tree ("billion laughs").
  std::size_t max_values = 1u << 20;
};

enum class Format { kBinary, kXml };

Result<Value> parse(std::string_view bytes, const Limits& limits = {});
Result<Value> parse_binary(std::string_view bytes, const Limits& limits = {});
Result<Value> parse_xml(std::string_view bytes, const Limits& limits = {});

inline Result<Value> parse(std::span<const std::uint8_t> bytes, const Limits& limits = {}) {
  return parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
               limits);
}

bool looks_binary(std::string_view bytes);

}  // namespace spyglass::formats::plist
