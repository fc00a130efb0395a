#pragma once
// An owned, format-independent plist value. Readers build it, the NSKeyedArchiver decoder and
// artifact modules walk it; nothing here points back into the input bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace spyglass::formats::plist {

using Bytes = std::vector<std::uint8_t>;

struct Uid {
  std::uint64_t value = 0;
  bool operator==(const Uid&) const = default;
};

// Apple's absolute time: seconds since 2001-01-01T00:00:00Z (what bplist and CFDate store).
struct Date {
  double seconds_since_2001 = 0;
  static constexpr double kUnixOffset = 978307200.0;
  double unix_seconds() const { return seconds_since_2001 + kUnixOffset; }
  static Date from_unix(double unix) { return Date{unix - kUnixOffset}; }
  bool operator==(const Date&) const = default;
};

struct Null {
  bool operator==(const Null&) const = default;
};

class Value;
using Array = std::vector<Value>;

// Keys keep their file order (plists are ordered on disk; deterministic output needs it).
class Dict {
 public:
  using Entry = std::pair<std::string, Value>;

  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Appends; a duplicate key replaces the earlier value (what CoreFoundation keeps).
  void set(std::string key, Value value);
  // Defined after Value: clang instantiates the vector's members here, where Value is
  // still incomplete (GCC defers them).
  const std::vector<Entry>& entries() const;
  std::size_t size() const;
  bool empty() const;
  bool operator==(const Dict& other) const;

 private:
  std::vector<Entry> entries_;
};

enum class Type { kNull, kBool, kInt, kUint, kReal, kDate, kString, kData, kUid, kArray, kDict };

class Value {
 public:
  Value() = default;
  Value(Null) {}
  Value(bool b) : v_(b) {}
  Value(std::int64_t i) : v_(i) {}
  Value(int i) : v_(static_cast<std::int64_t>(i)) {}
  // Only for integers above INT64_MAX (bplist 16-byte ints); smaller ones are kInt.
  static Value unsigned_int(std::uint64_t u);
  Value(double d) : v_(d) {}
  Value(Date d) : v_(d) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Bytes b) : v_(std::move(b)) {}
  Value(Uid u) : v_(u) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Dict d) : v_(std::move(d)) {}

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }

  // Typed accessors: nullptr / nullopt when the value has another type.
  std::optional<bool> as_bool() const;
  // kInt, or a kUint that fits.
  std::optional<std::int64_t> as_int() const;
  // kInt >= 0 or kUint.
  std::optional<std::uint64_t> as_uint() const;
  // kReal, or an integer converted.
  std::optional<double> as_real() const;
  const Date* as_date() const { return std::get_if<Date>(&v_); }
  const std::string* as_string() const { return std::get_if<std::string>(&v_); }
  const Bytes* as_data() const { return std::get_if<Bytes>(&v_); }
  const Uid* as_uid() const { return std::get_if<Uid>(&v_); }
  const Array* as_array() const { return std::get_if<Array>(&v_); }
  Array* as_array() { return std::get_if<Array>(&v_); }
  const Dict* as_dict() const { return std::get_if<Dict>(&v_); }
  Dict* as_dict() { return std::get_if<Dict>(&v_); }

  // Dict lookup shortcut: nullptr unless this is a dict holding `key`.
  const Value* get(std::string_view key) const;

  bool operator==(const Value& other) const { return v_ == other.v_; }

 private:
  struct UnsignedInt {
    std::uint64_t value = 0;
    bool operator==(const UnsignedInt&) const = default;
  };
  // Order matches Type.
  std::variant<Null, bool, std::int64_t, UnsignedInt, double, Date, std::string, Bytes, Uid, Array,
               Dict>
      v_;
};

const char* type_name(Type type);

inline const std::vector<Dict::Entry>& Dict::entries() const { return entries_; }
inline std::size_t Dict::size() const { return entries_.size(); }
inline bool Dict::empty() const { return entries_.empty(); }

}  // namespace spyglass::formats::plist
