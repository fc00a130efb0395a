// The MBFile fast path: a backup lists up to a million Manifest rows, and building a plist
// value tree for each (about forty allocations) was the largest cost of reading them. This
// reader first walks the whole object graph with exactly the generic reader's checks
// (binary_reader.cpp: bounds, markers, counts, cycles, depth, value budget) without
// materialising anything, then reads the MBFile fields in place. It accepts a strict subset
// of what the generic path accepts (ASCII strings only, no 128-bit integers, the usual
// archive shape); on anything else it declines and decode_mbfile() uses the generic path,
// so both always give the same result (checked by mbfile_test and the mbfile fuzzer).
#include <bit>
#include <cstring>
#include <iterator>
#include <vector>

#include "formats/plist/mbfile.hpp"

namespace spyglass::formats::plist::detail {
namespace {

constexpr std::size_t kHeaderSize = 8;
constexpr std::size_t kTrailerSize = 32;

class FastReader {
 public:
  FastReader(std::string_view bytes, std::size_t max_depth, std::size_t max_values)
      : bytes_(bytes), max_depth_(max_depth), max_values_(max_values) {}

  // The generic reader would accept the whole graph (and only ASCII strings were seen).
  bool validate() {
    if (bytes_.size() < kHeaderSize + kTrailerSize || bytes_.substr(0, 8) != "bplist00") {
      return false;
    }
    const std::size_t t = bytes_.size() - kTrailerSize;
    offset_size_ = byte(t + 6);
    ref_size_ = byte(t + 7);
    const std::uint64_t num_objects = be(t + 8, 8);
    top_ = be(t + 16, 8);
    const std::uint64_t table = be(t + 24, 8);
    if (offset_size_ < 1 || offset_size_ > 8 || ref_size_ < 1 || ref_size_ > 8) return false;
    if (num_objects == 0 || top_ >= num_objects) return false;
    if (table < kHeaderSize || table > t || (t - table) / offset_size_ < num_objects) return false;
    if (num_objects > max_values_ * 4) return false;  // the on-path marks stay small
    num_objects_ = num_objects;
    table_ = static_cast<std::size_t>(table);
    data_end_ = static_cast<std::size_t>(table);
    on_path_.assign(static_cast<std::size_t>(num_objects), 0);
    return check(top_, 0);
  }

  // ---- Reading after validate() -------------------------------------------------------
  struct Obj {
    std::uint8_t marker = 0;
    std::size_t pos = 0;     // first byte after the marker (and count)
    std::uint64_t count = 0;  // strings, data, arrays, dicts
  };

  Obj object(std::uint64_t index) const {
    Obj o;
    std::size_t pos = offset(index);
    o.marker = byte(pos++);
    const std::uint8_t high = o.marker >> 4;
    if (high == 0x4 || high == 0x5 || high == 0xA || high == 0xC || high == 0xD) {
      o.count = count(o.marker, pos);
    }
    o.pos = pos;
    return o;
  }
  static bool is_dict(const Obj& o) { return (o.marker >> 4) == 0xD; }
  static bool is_array(const Obj& o) { return (o.marker >> 4) == 0xA || (o.marker >> 4) == 0xC; }
  static bool is_string(const Obj& o) { return (o.marker >> 4) == 0x5; }
  static bool is_data(const Obj& o) { return (o.marker >> 4) == 0x4; }
  static bool is_uid(const Obj& o) { return (o.marker >> 4) == 0x8; }
  static bool is_int(const Obj& o) { return (o.marker >> 4) == 0x1; }
  std::string_view text(const Obj& o) const {
    return bytes_.substr(o.pos, static_cast<std::size_t>(o.count));
  }
  std::uint64_t uid(const Obj& o) const { return be(o.pos, (o.marker & 0x0F) + 1u); }
  std::int64_t integer(const Obj& o) const {
    return static_cast<std::int64_t>(be(o.pos, std::size_t{1} << (o.marker & 0x0F)));
  }
  std::uint64_t element(const Obj& array, std::uint64_t i) const {
    return be(array.pos + static_cast<std::size_t>(i) * ref_size_, ref_size_);
  }
  // The value of the last entry whose key is `key` (a duplicate key replaces the earlier
  // value, as the generic reader's Dict keeps it).
  std::optional<std::uint64_t> lookup(const Obj& dict, std::string_view key) const {
    std::optional<std::uint64_t> found;
    const std::size_t values_at = dict.pos + static_cast<std::size_t>(dict.count) * ref_size_;
    for (std::uint64_t i = 0; i < dict.count; ++i) {
      const Obj k = object(be(dict.pos + static_cast<std::size_t>(i) * ref_size_, ref_size_));
      if (text(k) == key) found = be(values_at + static_cast<std::size_t>(i) * ref_size_, ref_size_);
    }
    return found;
  }
  // Calls fn(key, value reference) for every entry, in file order.
  template <typename F>
  void for_each_entry(const Obj& dict, F&& fn) const {
    const std::size_t values_at = dict.pos + static_cast<std::size_t>(dict.count) * ref_size_;
    for (std::uint64_t i = 0; i < dict.count; ++i) {
      const Obj k = object(be(dict.pos + static_cast<std::size_t>(i) * ref_size_, ref_size_));
      fn(text(k), be(values_at + static_cast<std::size_t>(i) * ref_size_, ref_size_));
    }
  }
  std::uint64_t top() const { return top_; }

 private:
  std::uint8_t byte(std::size_t at) const { return static_cast<std::uint8_t>(bytes_[at]); }
  std::uint64_t be(std::size_t at, std::size_t n) const {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | byte(at + i);
    return v;
  }
  bool in_data(std::size_t at, std::uint64_t n) const {
    return at <= data_end_ && n <= data_end_ - at;
  }
  std::size_t offset(std::uint64_t index) const {
    return static_cast<std::size_t>(
        be(table_ + static_cast<std::size_t>(index) * offset_size_, offset_size_));
  }
  // As the generic read_count, for an object already validated.
  std::uint64_t count(std::uint8_t marker, std::size_t& pos) const {
    const std::uint64_t low = marker & 0x0F;
    if (low != 0x0F) return low;
    const std::size_t n = std::size_t{1} << (byte(pos) & 0x0F);
    const std::uint64_t c = be(pos + 1, n);
    pos += 1 + n;
    return c;
  }
  bool checked_count(std::uint8_t marker, std::size_t& pos, std::uint64_t& out) const {
    const std::uint64_t low = marker & 0x0F;
    if (low != 0x0F) {
      out = low;
      return true;
    }
    if (!in_data(pos, 1)) return false;
    const std::uint8_t int_marker = byte(pos);
    if ((int_marker & 0xF0) != 0x10) return false;
    const std::size_t n = std::size_t{1} << (int_marker & 0x0F);
    if (n > 8 || !in_data(pos + 1, n)) return false;
    out = be(pos + 1, n);
    pos += 1 + n;
    return true;
  }

  // The generic read_object's checks, object by object, without building values.
  bool check(std::uint64_t index, std::size_t depth) {
    if (depth > max_depth_) return false;
    if (++values_ > max_values_) return false;
    if (index >= num_objects_) return false;
    const std::uint64_t off = be(table_ + static_cast<std::size_t>(index) * offset_size_, offset_size_);
    if (off < kHeaderSize || off >= data_end_) return false;
    std::size_t pos = static_cast<std::size_t>(off);
    const std::uint8_t marker = byte(pos++);
    switch (marker >> 4) {
      case 0x0:
        return marker == 0x00 || marker == 0x08 || marker == 0x09;
      case 0x1: {
        const std::size_t n = std::size_t{1} << (marker & 0x0F);
        return n <= 8 && in_data(pos, n);  // 16-byte integers: the generic path decides
      }
      case 0x2: {
        const std::size_t n = std::size_t{1} << (marker & 0x0F);
        return in_data(pos, n) && (n == 4 || n == 8);
      }
      case 0x3:
        return marker == 0x33 && in_data(pos, 8);
      case 0x4:
      case 0x5: {
        std::uint64_t n = 0;
        return checked_count(marker, pos, n) && in_data(pos, n);
      }
      case 0x8: {
        const std::size_t n = (marker & 0x0F) + 1u;
        return n <= 8 && in_data(pos, n);
      }
      case 0xA:
      case 0xC: {
        std::uint64_t n = 0;
        if (!checked_count(marker, pos, n)) return false;
        if (n > data_end_ / ref_size_ || !in_data(pos, n * ref_size_)) return false;
        if (on_path_[static_cast<std::size_t>(index)] != 0) return false;
        on_path_[static_cast<std::size_t>(index)] = 1;
        for (std::uint64_t i = 0; i < n; ++i) {
          if (!check(be(pos + static_cast<std::size_t>(i) * ref_size_, ref_size_), depth + 1)) {
            return false;
          }
        }
        on_path_[static_cast<std::size_t>(index)] = 0;
        return true;
      }
      case 0xD: {
        std::uint64_t n = 0;
        if (!checked_count(marker, pos, n)) return false;
        if (n > data_end_ / (2u * ref_size_) || !in_data(pos, n * 2 * ref_size_)) return false;
        if (on_path_[static_cast<std::size_t>(index)] != 0) return false;
        on_path_[static_cast<std::size_t>(index)] = 1;
        const std::size_t values_at = pos + static_cast<std::size_t>(n) * ref_size_;
        for (std::uint64_t i = 0; i < n; ++i) {
          const std::uint64_t key = be(pos + static_cast<std::size_t>(i) * ref_size_, ref_size_);
          if (!check(key, depth + 1)) return false;
          // Keys must be ASCII strings here (UTF-16 keys: the generic path decides).
          if (!is_string(object(key))) return false;
          if (!check(be(values_at + static_cast<std::size_t>(i) * ref_size_, ref_size_),
                     depth + 1)) {
            return false;
          }
        }
        on_path_[static_cast<std::size_t>(index)] = 0;
        return true;
      }
      default:
        return false;  // UTF-16 strings and unknown markers: the generic path decides
    }
  }

  std::string_view bytes_;
  std::size_t max_depth_;
  std::size_t max_values_;
  std::size_t offset_size_ = 0;
  std::size_t ref_size_ = 0;
  std::uint64_t num_objects_ = 0;
  std::uint64_t top_ = 0;
  std::size_t table_ = 0;
  std::size_t data_end_ = 0;
  std::size_t values_ = 0;
  std::vector<std::uint8_t> on_path_;
};

}  // namespace

std::optional<MBFile> decode_mbfile_fast(std::string_view blob) {
  if (blob.size() > kMbFileMaxBytes) return std::nullopt;
  FastReader r(blob, kMbFileMaxDepth, kMbFileMaxValues);
  if (!r.validate()) return std::nullopt;
  using Obj = FastReader::Obj;

  // KeyedArchive::from_value: $archiver, a non-empty $objects, $top.root a UID in range.
  const Obj top = r.object(r.top());
  if (!FastReader::is_dict(top)) return std::nullopt;
  const auto archiver = r.lookup(top, "$archiver");
  if (!archiver) return std::nullopt;
  const Obj a = r.object(*archiver);
  if (!FastReader::is_string(a) || r.text(a) != "NSKeyedArchiver") return std::nullopt;
  const auto objects_ref = r.lookup(top, "$objects");
  if (!objects_ref) return std::nullopt;
  const Obj objects = r.object(*objects_ref);
  if (!FastReader::is_array(objects) || objects.count == 0) return std::nullopt;
  const auto top_ref = r.lookup(top, "$top");
  if (!top_ref) return std::nullopt;
  const Obj top_dict = r.object(*top_ref);
  if (!FastReader::is_dict(top_dict)) return std::nullopt;
  const auto root_ref = r.lookup(top_dict, "root");
  if (!root_ref) return std::nullopt;
  const Obj root_uid = r.object(*root_ref);
  if (!FastReader::is_uid(root_uid) || r.uid(root_uid) >= objects.count) return std::nullopt;
  const Obj root = r.object(r.element(objects, r.uid(root_uid)));
  if (!FastReader::is_dict(root)) return std::nullopt;

  // KeyedArchive::deref: a UID names an $objects element (never another UID); "$null" is
  // absent. Returns false when the generic path would report an error.
  auto deref = [&](std::uint64_t ref, std::optional<Obj>& out) -> bool {
    Obj v = r.object(ref);
    if (FastReader::is_uid(v)) {
      const std::uint64_t u = r.uid(v);
      if (u >= objects.count) return false;
      v = r.object(r.element(objects, u));
      if (FastReader::is_uid(v)) return false;
    }
    if (FastReader::is_string(v) && r.text(v) == "$null") {
      out.reset();
    } else {
      out = v;
    }
    return true;
  };

  // One pass over the MBFile dict: the value of each known key (the last one, as lookup()).
  static constexpr const char* kKeys[] = {
      "Birth",       "LastModified",    "LastStatusChange", "Mode",         "UserID",
      "GroupID",     "Size",            "InodeNumber",      "ProtectionClass", "Flags",
      "RelativePath", "Target",         "EncryptionKey"};
  static constexpr std::size_t kIntKeys = 10;
  std::optional<std::uint64_t> refs[std::size(kKeys)];
  r.for_each_entry(root, [&](std::string_view key, std::uint64_t value) {
    for (std::size_t i = 0; i < std::size(kKeys); ++i) {
      if (key == kKeys[i]) {
        refs[i] = value;
        break;
      }
    }
  });
  MBFile f;
  static constexpr std::optional<std::int64_t> MBFile::*kIntFields[kIntKeys] = {
      &MBFile::birth,   &MBFile::last_modified, &MBFile::last_status_change, &MBFile::mode,
      &MBFile::user_id, &MBFile::group_id,      &MBFile::size,               &MBFile::inode_number,
      &MBFile::protection_class, &MBFile::flags};
  for (std::size_t i = 0; i < kIntKeys; ++i) {
    if (!refs[i]) continue;
    const Obj v = r.object(*refs[i]);
    if (!FastReader::is_int(v)) return std::nullopt;  // "is not an integer"
    f.*(kIntFields[i]) = r.integer(v);
  }
  for (auto [index, field] : {std::pair<std::size_t, std::optional<std::string> MBFile::*>{
                                  kIntKeys, &MBFile::relative_path},
                              {kIntKeys + 1, &MBFile::target}}) {
    const auto& ref = refs[index];
    if (!ref) continue;
    std::optional<Obj> v;
    if (!deref(*ref, v)) return std::nullopt;
    if (!v) continue;
    if (!FastReader::is_string(*v)) return std::nullopt;  // NSString objects: generic path
    f.*field = std::string(r.text(*v));
  }
  if (const auto& ref = refs[kIntKeys + 2]) {
    std::optional<Obj> v;
    if (!deref(*ref, v)) return std::nullopt;
    if (v) {
      Obj data = *v;
      if (FastReader::is_dict(data)) {
        const auto inner = r.lookup(data, "NS.data");
        if (!inner) return std::nullopt;
        std::optional<Obj> d;
        if (!deref(*inner, d) || !d) return std::nullopt;
        data = *d;
      }
      if (!FastReader::is_data(data)) return std::nullopt;
      const std::string_view bytes = r.text(data);
      f.encryption_key = Bytes(bytes.begin(), bytes.end());
    }
  }
  return f;
}

}  // namespace spyglass::formats::plist::detail
