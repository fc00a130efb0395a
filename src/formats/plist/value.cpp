#include "formats/plist/value.hpp"

#include <limits>

namespace spyglass::formats::plist {

const Value* Dict::find(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Dict::find(std::string_view key) {
  for (auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Dict::set(std::string key, Value value) {
  if (Value* existing = find(key)) {
    *existing = std::move(value);
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
}

bool Dict::operator==(const Dict& other) const { return entries_ == other.entries_; }

Value Value::unsigned_int(std::uint64_t u) {
  Value v;
  if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    v.v_ = static_cast<std::int64_t>(u);
  } else {
    v.v_ = UnsignedInt{u};
  }
  return v;
}

std::optional<bool> Value::as_bool() const {
  if (const bool* b = std::get_if<bool>(&v_)) return *b;
  return std::nullopt;
}

std::optional<std::int64_t> Value::as_int() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  return std::nullopt;  // a kUint never fits by construction
}

std::optional<std::uint64_t> Value::as_uint() const {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    if (*i >= 0) return static_cast<std::uint64_t>(*i);
    return std::nullopt;
  }
  if (const auto* u = std::get_if<UnsignedInt>(&v_)) return u->value;
  return std::nullopt;
}

std::optional<double> Value::as_real() const {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<UnsignedInt>(&v_)) return static_cast<double>(u->value);
  return std::nullopt;
}

const Value* Value::get(std::string_view key) const {
  const Dict* d = as_dict();
  return d ? d->find(key) : nullptr;
}

const char* type_name(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return "bool";
    case Type::kInt: return "integer";
    case Type::kUint: return "unsigned integer";
    case Type::kReal: return "real";
    case Type::kDate: return "date";
    case Type::kString: return "string";
    case Type::kData: return "data";
    case Type::kUid: return "uid";
    case Type::kArray: return "array";
    case Type::kDict: return "dict";
  }
  return "unknown";
}

}  // namespace spyglass::formats::plist
