#pragma once
// An ordered JSON value for records and reports: object members keep insertion order, so
// outputs list keys in the order a module or writer set them (as Python dicts do).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace spyglass::json {

class Value;
struct Member;
using Array = std::vector<Value>;
using Object = std::vector<Member>;

enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

class Value {
 public:
  // Every constructor is defined after Member: a constructor odr-uses the variant's
  // destructor, and clang instantiates it at once, while Member is still incomplete.
  Value();
  Value(std::nullptr_t);  // NOLINT(google-explicit-constructor): literal-like
  Value(bool b);          // NOLINT(google-explicit-constructor)
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T i);            // NOLINT(google-explicit-constructor)
  Value(double d);       // NOLINT(google-explicit-constructor)
  Value(std::string s);  // NOLINT(google-explicit-constructor)
  Value(std::string_view s);  // NOLINT(google-explicit-constructor)
  Value(const char* s);       // NOLINT(google-explicit-constructor)
  Value(Array a);             // NOLINT(google-explicit-constructor)
  Value(Object o);            // NOLINT(google-explicit-constructor)
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;
  ~Value();

  static Value object();
  static Value array();

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_object() const { return type() == Type::kObject; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_string() const { return type() == Type::kString; }

  // Typed access; calling the wrong one is a bug (std::get throws std::bad_variant_access).
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object: replaces the member's value if the key exists, else appends it. A null value
  // becomes an object first. Returns *this so records read as a list of fields.
  Value& set(std::string_view key, Value value);
  // Object: appends without looking for an existing member; for objects built from fixed,
  // distinct keys (a duplicate key would be written twice). A null value becomes an object.
  Value& add(std::string_view key, Value value);
  // Object: the member's value, or nullptr.
  const Value* find(std::string_view key) const;
  // Array: appends (a null value becomes an array first).
  Value& push_back(Value value);
  // Elements of an array or members of an object; 0 otherwise.
  std::size_t size() const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> v_;
};

struct Member {
  std::string key;
  Value value;
  friend bool operator==(const Member& a, const Member& b) {
    return a.key == b.key && a.value == b.value;
  }
};

inline Value::Value() : v_(nullptr) {}
inline Value::Value(std::nullptr_t) : v_(nullptr) {}
inline Value::Value(bool b) : v_(b) {}
template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int>>
inline Value::Value(T i) : v_(static_cast<std::int64_t>(i)) {}
inline Value::Value(double d) : v_(d) {}
inline Value::Value(std::string s) : v_(std::move(s)) {}
inline Value::Value(std::string_view s) : v_(std::string(s)) {}
inline Value::Value(const char* s) : v_(std::string(s)) {}
inline Value::Value(Array a) : v_(std::move(a)) {}
inline Value::Value(Object o) : v_(std::move(o)) {}
inline Value::Value(const Value&) = default;
inline Value::Value(Value&&) noexcept = default;
inline Value& Value::operator=(const Value&) = default;
inline Value& Value::operator=(Value&&) noexcept = default;
inline Value::~Value() = default;
inline Value Value::object() { return Value(Object{}); }
inline Value Value::array() { return Value(Array{}); }

// Builds an object from key/value pairs, in that order: json::obj({{"a", 1}, {"b", "x"}}).
Value obj(std::initializer_list<std::pair<std::string_view, Value>> members);
// Builds an array: json::arr({1, "two", nullptr}).
Value arr(std::initializer_list<Value> items);

}  // namespace spyglass::json
