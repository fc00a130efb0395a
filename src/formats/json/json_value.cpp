#include "formats/json/json_value.hpp"

namespace spyglass::json {

Value& Value::set(std::string_view key, Value value) {
  if (is_null()) v_ = Object{};
  Object& members = as_object();
  for (Member& m : members) {
    if (m.key == key) {
      m.value = std::move(value);
      return *this;
    }
  }
  members.push_back(Member{std::string(key), std::move(value)});
  return *this;
}

Value& Value::add(std::string_view key, Value value) {
  if (is_null()) v_ = Object{};
  as_object().push_back(Member{std::string(key), std::move(value)});
  return *this;
}

const Value* Value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& m : as_object()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Value& Value::push_back(Value value) {
  if (is_null()) v_ = Array{};
  as_array().push_back(std::move(value));
  return *this;
}

std::size_t Value::size() const {
  if (is_array()) return as_array().size();
  if (is_object()) return as_object().size();
  return 0;
}

bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

Value obj(std::initializer_list<std::pair<std::string_view, Value>> members) {
  Value out = Value::object();
  for (const auto& [key, value] : members) out.set(key, value);
  return out;
}

Value arr(std::initializer_list<Value> items) {
  Array out(items);
  return Value(std::move(out));
}

}  // namespace spyglass::json
