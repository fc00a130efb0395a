#pragma once
// Apple's legacy "typedstream" archives (NSArchiver, NeXTSTEP heritage), as far as needed to
// read the text of an archived NSAttributedString. iOS 16+ Messages often stores a message's
// body only in sms.db `message.attributedBody`, which holds such an archive.
//
// Layout facts used (little-endian "streamtyped" and big-endian "typedstream" variants):
// streamer version byte 4, signature length 11, signature, system version (an integer);
// integers are one signed byte unless it is a tag: 0x81 = 2-byte integer follows,
// 0x82 = 4-byte integer follows, 0x84 = new (literal) string/object/class, 0x85 = nil,
// 0x86 = end of object; bytes 0x92 and up stand for back-references (number - 0x92 indexes
// the shared-string table or the object/class table). An object is 0x84, its class chain
// (0x84 name version ... up to nil or a class reference), then groups of typed values
// (a type-encoding shared string, then the values), then 0x86. An NSAttributedString starts
// with one "@" group holding its NSString, whose content is one "+" group: a length
// integer and that many UTF-8 bytes.
#include <cstddef>
#include <string>
#include <string_view>

#include "support/error.hpp"

namespace spyglass::formats::typedstream {

// Archives larger than this are refused (kLimitExceeded); message bodies are far smaller.
inline constexpr std::size_t kMaxInputBytes = 64U * 1024U * 1024U;
// Longest superclass chain followed (real chains are 2 or 3 classes deep).
inline constexpr std::size_t kMaxClassChain = 32;

// The string of an archived NSAttributedString or NSMutableAttributedString, as its bytes
// (UTF-8 when written by Apple; not validated here, writers sanitise output text).
// kMalformed for truncated or malformed input, kUnsupported for a valid typedstream holding
// another object, kLimitExceeded for oversized input.
Result<std::string> attributed_string_text(std::string_view archive);

}  // namespace spyglass::formats::typedstream
