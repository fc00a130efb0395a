// Bounded reader for Apple's binary property list format, version 00. Every offset, length
// and object reference is checked against the buffer before use; nesting, cycles and the
// total number of materialised values are limited.
#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "formats/plist/reader.hpp"

namespace spyglass::formats::plist {
namespace {

constexpr std::size_t kHeaderSize = 8;
constexpr std::size_t kTrailerSize = 32;

class BinaryReader {
 public:
  BinaryReader(std::string_view bytes, const Limits& limits) : bytes_(bytes), limits_(limits) {}

  Result<Value> read() {
    if (bytes_.size() > limits_.max_input_bytes) {
      return make_error(ErrorCode::kLimitExceeded, "binary plist larger than the input limit");
    }
    if (bytes_.size() < kHeaderSize + kTrailerSize || bytes_.substr(0, 6) != "bplist") {
      return make_error(ErrorCode::kMalformed, "not a binary plist (too short or bad magic)");
    }
    const std::size_t t = bytes_.size() - kTrailerSize;
    offset_size_ = byte(t + 6);
    ref_size_ = byte(t + 7);
    const std::uint64_t num_objects = be(t + 8, 8);
    const std::uint64_t top = be(t + 16, 8);
    const std::uint64_t table = be(t + 24, 8);
    if (offset_size_ < 1 || offset_size_ > 8 || ref_size_ < 1 || ref_size_ > 8) {
      return malformed("bad offset or reference size in trailer");
    }
    if (num_objects == 0 || top >= num_objects) return malformed("bad object count in trailer");
    // The offset table must sit between the header and the trailer.
    if (table < kHeaderSize || table > t || (t - table) / offset_size_ < num_objects) {
      return malformed("offset table out of bounds");
    }
    num_objects_ = num_objects;
    table_ = static_cast<std::size_t>(table);
    data_end_ = static_cast<std::size_t>(table);
    on_path_.assign(static_cast<std::size_t>(num_objects), false);
    return read_object(top, 0);
  }

 private:
  tl::unexpected<Error> malformed(const std::string& what) const {
    return make_error(ErrorCode::kMalformed, "malformed binary plist: " + what);
  }

  std::uint8_t byte(std::size_t at) const { return static_cast<std::uint8_t>(bytes_[at]); }

  // Caller guarantees at + n <= size and n <= 8.
  std::uint64_t be(std::size_t at, std::size_t n) const {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | byte(at + i);
    return v;
  }

  bool in_data(std::size_t at, std::uint64_t n) const {
    return at <= data_end_ && n <= data_end_ - at;
  }

  Result<std::size_t> object_offset(std::uint64_t index) const {
    if (index >= num_objects_) return malformed("object reference out of range");
    const std::size_t at = table_ + static_cast<std::size_t>(index) * offset_size_;
    const std::uint64_t off = be(at, offset_size_);
    if (off < kHeaderSize || off >= data_end_) return malformed("object offset out of range");
    return static_cast<std::size_t>(off);
  }

  // Reads the element count after a marker whose low nibble is 0xF (an int object follows).
  Result<std::uint64_t> read_count(std::uint8_t marker, std::size_t& pos) const {
    const std::uint64_t low = marker & 0x0F;
    if (low != 0x0F) return low;
    if (!in_data(pos, 1)) return malformed("truncated count");
    const std::uint8_t int_marker = byte(pos);
    if ((int_marker & 0xF0) != 0x10) return malformed("count is not an integer");
    const std::size_t n = std::size_t{1} << (int_marker & 0x0F);
    if (n > 8 || !in_data(pos + 1, n)) return malformed("bad count integer");
    const std::uint64_t count = be(pos + 1, n);
    pos += 1 + n;
    return count;
  }

  Result<Value> read_object(std::uint64_t index, std::size_t depth) {
    if (depth > limits_.max_depth) {
      return make_error(ErrorCode::kLimitExceeded, "binary plist nested too deeply");
    }
    if (++values_ > limits_.max_values) {
      return make_error(ErrorCode::kLimitExceeded, "binary plist expands to too many values");
    }
    auto off = object_offset(index);
    if (!off) return tl::unexpected(off.error());
    std::size_t pos = *off;
    const std::uint8_t marker = byte(pos++);
    const std::uint8_t high = marker >> 4;
    switch (high) {
      case 0x0:
        if (marker == 0x00) return Value(Null{});
        if (marker == 0x08) return Value(false);
        if (marker == 0x09) return Value(true);
        return malformed("unknown singleton marker");
      case 0x1: {
        const std::size_t n = std::size_t{1} << (marker & 0x0F);
        if (n > 16 || !in_data(pos, n)) return malformed("bad integer");
        if (n == 16) {
          // 128-bit ints only ever carry 64-bit unsigned values in practice.
          if (be(pos, 8) != 0) {
            return make_error(ErrorCode::kUnsupported, "binary plist integer above 64 bits");
          }
          return Value::unsigned_int(be(pos + 8, 8));
        }
        // 8-byte ints are two's complement; shorter ones are unsigned and always fit.
        return Value(static_cast<std::int64_t>(be(pos, n)));
      }
      case 0x2: {
        const std::size_t n = std::size_t{1} << (marker & 0x0F);
        if (!in_data(pos, n)) return malformed("truncated real");
        if (n == 4) return Value(static_cast<double>(std::bit_cast<float>(
                              static_cast<std::uint32_t>(be(pos, 4)))));
        if (n == 8) return Value(std::bit_cast<double>(be(pos, 8)));
        return malformed("bad real size");
      }
      case 0x3:
        if (marker != 0x33 || !in_data(pos, 8)) return malformed("bad date");
        return Value(Date{std::bit_cast<double>(be(pos, 8))});
      case 0x4: {
        auto count = read_count(marker, pos);
        if (!count) return tl::unexpected(count.error());
        if (!in_data(pos, *count)) return malformed("data runs past the object table");
        const auto* p = reinterpret_cast<const std::uint8_t*>(bytes_.data() + pos);
        return Value(Bytes(p, p + *count));
      }
      case 0x5: {
        auto count = read_count(marker, pos);
        if (!count) return tl::unexpected(count.error());
        if (!in_data(pos, *count)) return malformed("string runs past the object table");
        return Value(std::string(bytes_.substr(pos, static_cast<std::size_t>(*count))));
      }
      case 0x6: {
        auto count = read_count(marker, pos);
        if (!count) return tl::unexpected(count.error());
        if (*count > data_end_ / 2 || !in_data(pos, *count * 2)) {
          return malformed("UTF-16 string runs past the object table");
        }
        return Value(utf16be_to_utf8(pos, static_cast<std::size_t>(*count)));
      }
      case 0x8: {
        const std::size_t n = (marker & 0x0F) + 1u;
        if (n > 8 || !in_data(pos, n)) return malformed("bad uid");
        return Value(Uid{be(pos, n)});
      }
      case 0xA:
      case 0xC:  // sets read as arrays
      {
        auto count = read_count(marker, pos);
        if (!count) return tl::unexpected(count.error());
        if (*count > data_end_ / ref_size_ || !in_data(pos, *count * ref_size_)) {
          return malformed("array references run past the object table");
        }
        return enter(index, [&]() -> Result<Value> {
          Array out;
          out.reserve(static_cast<std::size_t>(*count));
          for (std::uint64_t i = 0; i < *count; ++i) {
            auto item = read_object(be(pos + i * ref_size_, ref_size_), depth + 1);
            if (!item) return tl::unexpected(item.error());
            out.push_back(std::move(*item));
          }
          return Value(std::move(out));
        });
      }
      case 0xD: {
        auto count = read_count(marker, pos);
        if (!count) return tl::unexpected(count.error());
        if (*count > data_end_ / (2u * ref_size_) || !in_data(pos, *count * 2 * ref_size_)) {
          return malformed("dict references run past the object table");
        }
        return enter(index, [&]() -> Result<Value> {
          Dict out;
          const std::size_t values_at = pos + static_cast<std::size_t>(*count) * ref_size_;
          for (std::uint64_t i = 0; i < *count; ++i) {
            auto key = read_object(be(pos + i * ref_size_, ref_size_), depth + 1);
            if (!key) return tl::unexpected(key.error());
            const std::string* key_text = key->as_string();
            if (key_text == nullptr) return malformed("dict key is not a string");
            auto val = read_object(be(values_at + i * ref_size_, ref_size_), depth + 1);
            if (!val) return tl::unexpected(val.error());
            out.set(*key_text, std::move(*val));
          }
          return Value(std::move(out));
        });
      }
      default:
        return malformed("unknown object marker");
    }
  }

  // Marks a container as being on the current path so a reference back to it is a cycle.
  template <typename F>
  Result<Value> enter(std::uint64_t index, F&& body) {
    const auto i = static_cast<std::size_t>(index);
    if (on_path_[i]) return malformed("reference cycle");
    on_path_[i] = true;
    Result<Value> out = body();
    on_path_[i] = false;
    return out;
  }

  std::string utf16be_to_utf8(std::size_t pos, std::size_t units) const {
    std::string out;
    out.reserve(units);
    for (std::size_t i = 0; i < units; ++i) {
      std::uint32_t cp = static_cast<std::uint32_t>(be(pos + 2 * i, 2));
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units) {
        const auto lo = static_cast<std::uint32_t>(be(pos + 2 * (i + 1), 2));
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          ++i;
        }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // lone surrogate
      append_utf8(out, cp);
    }
    return out;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view bytes_;
  const Limits& limits_;
  std::size_t offset_size_ = 0;
  std::size_t ref_size_ = 0;
  std::uint64_t num_objects_ = 0;
  std::size_t table_ = 0;
  std::size_t data_end_ = 0;
  std::size_t values_ = 0;
  std::vector<bool> on_path_;
};

}  // namespace

bool looks_binary(std::string_view bytes) { return bytes.substr(0, 8) == "bplist00"; }

Result<Value> parse_binary(std::string_view bytes, const Limits& limits) {
  return BinaryReader(bytes, limits).read();
}

Result<Value> parse(std::string_view bytes, const Limits& limits) {
  if (bytes.substr(0, 6) == "bplist") {
    if (!looks_binary(bytes)) {
      return make_error(ErrorCode::kUnsupported, "binary plist version other than 00");
    }
    return parse_binary(bytes, limits);
  }
  return parse_xml(bytes, limits);
}

}  // namespace spyglass::formats::plist
