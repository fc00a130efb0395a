#include "formats/typedstream/typedstream.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace spyglass::formats::typedstream {
namespace {

constexpr std::int8_t kTagInteger2 = -127;  // 0x81
constexpr std::int8_t kTagInteger4 = -126;  // 0x82
constexpr std::int8_t kTagNew = -124;       // 0x84
constexpr std::int8_t kTagNil = -123;       // 0x85
constexpr std::int8_t kFirstTag = -128;     // 0x80
constexpr std::int8_t kLastTag = -111;      // 0x91
// Reference numbers start right after the tags, so 0x92 is entry 0 of a table.
constexpr std::int64_t kFirstReference = kLastTag + 1;

constexpr std::string_view kSignatureLittle = "streamtyped";
constexpr std::string_view kSignatureBig = "typedstream";
constexpr std::uint8_t kStreamerVersion = 4;

bool is_tag(std::int8_t head) { return head >= kFirstTag && head <= kLastTag; }

tl::unexpected<Error> malformed(std::string message) {
  return make_error(ErrorCode::kMalformed, "typedstream: " + std::move(message));
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  Result<std::string> read_attributed_string() {
    if (auto r = read_header(); !r) return tl::unexpected(r.error());
    auto top = read_object_group("the archive's root");
    if (!top) return tl::unexpected(top.error());
    if (!chain_has(*top, {"NSAttributedString", "NSMutableAttributedString"})) {
      return make_error(ErrorCode::kUnsupported,
                        "typedstream: the root object is a " + describe(*top) +
                            ", not an NSAttributedString");
    }
    auto string = read_object_group("the attributed string's text");
    if (!string) return tl::unexpected(string.error());
    if (!chain_has(*string, {"NSString", "NSMutableString"})) {
      return malformed("the attributed string's text is a " + describe(*string) +
                       ", not an NSString");
    }
    auto type = read_type("the NSString content");
    if (!type) return tl::unexpected(type.error());
    if (*type != "+") return malformed("NSString content has type \"" + std::string(*type) + "\"");
    auto h = head();
    if (!h) return tl::unexpected(h.error());
    if (*h == kTagNil) return malformed("NSString content is nil");
    auto length = integer(*h, /*is_signed=*/false);
    if (!length) return tl::unexpected(length.error());
    auto bytes = take(*length, "the NSString bytes");
    if (!bytes) return tl::unexpected(bytes.error());
    return std::string(*bytes);
  }

 private:
  // A class name and its superclass (an index into objects_, -1 for none). Plain objects
  // are entries too, since references number objects and classes together.
  struct Entry {
    bool is_class = false;
    std::string_view name;
    std::int64_t super = -1;
  };
  using Chain = std::vector<std::string_view>;

  Result<void> read_header() {
    if (in_.size() > kMaxInputBytes) {
      return make_error(ErrorCode::kLimitExceeded,
                        "typedstream: archive of " + std::to_string(in_.size()) +
                            " bytes is larger than the " + std::to_string(kMaxInputBytes) +
                            " bytes accepted");
    }
    auto version = take(1, "the streamer version");
    if (!version) return tl::unexpected(version.error());
    if (static_cast<std::uint8_t>((*version)[0]) != kStreamerVersion) {
      return malformed("streamer version " +
                       std::to_string(static_cast<std::uint8_t>((*version)[0])) +
                       " (only 4 is written by Apple systems)");
    }
    auto sig_length = take(1, "the signature length");
    if (!sig_length) return tl::unexpected(sig_length.error());
    if (static_cast<std::size_t>((*sig_length)[0]) != kSignatureLittle.size()) {
      return malformed("signature length " + std::to_string(static_cast<int>((*sig_length)[0])));
    }
    auto signature = take(kSignatureLittle.size(), "the signature");
    if (!signature) return tl::unexpected(signature.error());
    if (*signature == kSignatureLittle) {
      big_endian_ = false;
    } else if (*signature == kSignatureBig) {
      big_endian_ = true;
    } else {
      return malformed("not a typedstream (bad signature)");
    }
    auto h = head();
    if (!h) return tl::unexpected(h.error());
    auto system_version = integer(*h, /*is_signed=*/false);
    if (!system_version) return tl::unexpected(system_version.error());
    return {};
  }

  Result<std::string_view> take(std::uint64_t n, std::string_view what) {
    const std::size_t left = in_.size() - pos_;
    if (n > left) {
      return malformed("truncated: " + std::string(what) + " needs " + std::to_string(n) +
                       " bytes at offset " + std::to_string(pos_) + ", " + std::to_string(left) +
                       " left");
    }
    std::string_view out = in_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }

  Result<std::int8_t> head() {
    auto b = take(1, "a head byte");
    if (!b) return tl::unexpected(b.error());
    return static_cast<std::int8_t>(static_cast<std::uint8_t>((*b)[0]));
  }

  Result<std::int64_t> integer(std::int8_t h, bool is_signed) {
    if (!is_tag(h)) return is_signed ? std::int64_t{h} : std::int64_t{static_cast<std::uint8_t>(h)};
    std::size_t width = 0;
    if (h == kTagInteger2) {
      width = 2;
    } else if (h == kTagInteger4) {
      width = 4;
    } else {
      return malformed("tag 0x" + hex(h) + " where an integer was expected at offset " +
                       std::to_string(pos_ - 1));
    }
    auto bytes = take(width, "an integer");
    if (!bytes) return tl::unexpected(bytes.error());
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const std::size_t k = big_endian_ ? i : width - 1 - i;
      v = (v << 8) | static_cast<std::uint8_t>((*bytes)[k]);
    }
    if (!is_signed) return static_cast<std::int64_t>(v);
    const std::uint64_t sign = std::uint64_t{1} << (width * 8 - 1);
    return static_cast<std::int64_t>(v ^ sign) - static_cast<std::int64_t>(sign);
  }

  // A shared string: literal (0x84, then length and bytes; remembered), a back-reference, or
  // nil (nullopt).
  Result<std::optional<std::string_view>> shared_string(std::int8_t h) {
    if (h == kTagNil) return std::optional<std::string_view>();
    if (h == kTagNew) {
      auto lh = head();
      if (!lh) return tl::unexpected(lh.error());
      if (*lh == kTagNil) return malformed("a literal shared string holds nil");
      auto length = integer(*lh, /*is_signed=*/false);
      if (!length) return tl::unexpected(length.error());
      auto bytes = take(*length, "a shared string");
      if (!bytes) return tl::unexpected(bytes.error());
      strings_.push_back(*bytes);
      return std::optional<std::string_view>(*bytes);
    }
    auto index = reference(h, strings_.size(), "shared string");
    if (!index) return tl::unexpected(index.error());
    return std::optional<std::string_view>(strings_[static_cast<std::size_t>(*index)]);
  }

  Result<std::int64_t> reference(std::int8_t h, std::size_t table_size, std::string_view what) {
    auto number = integer(h, /*is_signed=*/true);
    if (!number) return tl::unexpected(number.error());
    const std::int64_t index = *number - kFirstReference;
    if (index < 0 || static_cast<std::uint64_t>(index) >= table_size) {
      return malformed("reference to " + std::string(what) + " #" + std::to_string(index) + " of " +
                       std::to_string(table_size) + " at offset " + std::to_string(pos_));
    }
    return index;
  }

  Result<std::string_view> read_type(std::string_view what) {
    auto h = head();
    if (!h) return tl::unexpected(h.error());
    auto type = shared_string(*h);
    if (!type) return tl::unexpected(type.error());
    if (!*type) return malformed("nil type encoding for " + std::string(what));
    return **type;
  }

  // One "@" group holding a literal object; returns the object's class chain.
  Result<Chain> read_object_group(std::string_view what) {
    auto type = read_type(what);
    if (!type) return tl::unexpected(type.error());
    if (*type != "@") {
      return malformed(std::string(what) + " has type \"" + std::string(*type) +
                       "\", not an object");
    }
    auto h = head();
    if (!h) return tl::unexpected(h.error());
    if (*h == kTagNil) return malformed(std::string(what) + " is nil");
    if (*h != kTagNew) return malformed(std::string(what) + " is a back-reference");
    objects_.push_back(Entry{});
    return read_class_chain();
  }

  Result<Chain> read_class_chain() {
    Chain names;
    std::int64_t previous = -1;
    auto h = head();
    if (!h) return tl::unexpected(h.error());
    while (*h == kTagNew) {
      if (names.size() >= kMaxClassChain) return malformed("class chain too long");
      auto nh = head();
      if (!nh) return tl::unexpected(nh.error());
      auto name = shared_string(*nh);
      if (!name) return tl::unexpected(name.error());
      if (!*name) return malformed("class with a nil name");
      auto vh = head();
      if (!vh) return tl::unexpected(vh.error());
      auto version = integer(*vh, /*is_signed=*/true);
      if (!version) return tl::unexpected(version.error());
      const auto index = static_cast<std::int64_t>(objects_.size());
      objects_.push_back(Entry{true, **name, -1});
      if (previous >= 0) objects_[static_cast<std::size_t>(previous)].super = index;
      previous = index;
      names.push_back(**name);
      h = head();
      if (!h) return tl::unexpected(h.error());
    }
    if (*h == kTagNil) return names;
    auto index = reference(*h, objects_.size(), "class");
    if (!index) return tl::unexpected(index.error());
    if (previous >= 0) objects_[static_cast<std::size_t>(previous)].super = *index;
    // A crafted archive can make superclass links loop; the walk is bounded.
    for (std::int64_t i = *index; i >= 0; i = objects_[static_cast<std::size_t>(i)].super) {
      const Entry& e = objects_[static_cast<std::size_t>(i)];
      if (!e.is_class) return malformed("class reference to an object");
      if (names.size() >= kMaxClassChain) return malformed("class chain too long");
      names.push_back(e.name);
    }
    return names;
  }

  static bool chain_has(const Chain& chain, std::initializer_list<std::string_view> wanted) {
    for (std::string_view n : chain) {
      for (std::string_view w : wanted) {
        if (n == w) return true;
      }
    }
    return false;
  }

  static std::string describe(const Chain& chain) {
    if (chain.empty()) return "object without class";
    std::string out;
    for (std::size_t i = 0; i < chain.size() && i < 4; ++i) {
      if (i > 0) out += ":";
      for (char c : chain[i]) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    return out;
  }

  static std::string hex(std::int8_t h) {
    constexpr std::string_view kDigits = "0123456789abcdef";
    const auto b = static_cast<std::uint8_t>(h);
    return {kDigits[b >> 4], kDigits[b & 0xf]};
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool big_endian_ = false;
  std::vector<std::string_view> strings_;
  std::vector<Entry> objects_;
};

}  // namespace

Result<std::string> attributed_string_text(std::string_view archive) {
  return Reader(archive).read_attributed_string();
}

}  // namespace spyglass::formats::typedstream
