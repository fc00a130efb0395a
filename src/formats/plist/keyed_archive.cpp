#include "formats/plist/keyed_archive.hpp"

#include <vector>

namespace spyglass::formats::plist {
namespace {

tl::unexpected<Error> malformed(const std::string& what) {
  return make_error(ErrorCode::kMalformed, "malformed NSKeyedArchiver archive: " + what);
}

bool is_null_marker(const Value& v) {
  const std::string* s = v.as_string();
  return s != nullptr && *s == "$null";
}

class Decoder {
 public:
  Decoder(const KeyedArchive& archive, const Limits& limits)
      : archive_(archive), limits_(limits), on_path_(archive.objects().size(), false) {}

  Result<Value> decode(const Value& value, std::size_t depth) {
    if (depth > limits_.max_depth) {
      return make_error(ErrorCode::kLimitExceeded, "keyed archive nested too deeply");
    }
    if (++values_ > limits_.max_values) {
      return make_error(ErrorCode::kLimitExceeded, "keyed archive expands to too many values");
    }
    if (const Uid* uid = value.as_uid()) {
      if (uid->value >= on_path_.size()) return malformed("UID out of range");
      const auto index = static_cast<std::size_t>(uid->value);
      if (on_path_[index]) return malformed("reference cycle");
      on_path_[index] = true;
      auto out = decode_object(archive_.objects()[index], depth);
      on_path_[index] = false;
      return out;
    }
    return decode_object(value, depth);
  }

 private:
  Result<Value> decode_object(const Value& value, std::size_t depth) {
    if (is_null_marker(value)) return Value(Null{});
    if (const Array* a = value.as_array()) return decode_array(*a, depth);
    const Dict* d = value.as_dict();
    if (d == nullptr) return value;  // scalars carry no references
    std::string classname;
    if (const Value* cls = d->find("$class")) {
      auto c = archive_.deref(*cls);
      if (!c) return tl::unexpected(c.error());
      if (*c != nullptr) {
        if (const Value* n = (*c)->get("$classname"); n && n->as_string()) classname = *n->as_string();
      }
    }
    if (classname == "NSArray" || classname == "NSMutableArray" || classname == "NSSet" ||
        classname == "NSMutableSet" || classname == "NSOrderedSet") {
      const Value* objs = d->find("NS.objects");
      if (objs == nullptr || objs->as_array() == nullptr) return malformed("array without NS.objects");
      return decode_array(*objs->as_array(), depth);
    }
    if (classname == "NSDictionary" || classname == "NSMutableDictionary") {
      return decode_dictionary(*d, depth);
    }
    if (classname == "NSData" || classname == "NSMutableData" || classname == "NSString" ||
        classname == "NSMutableString" || classname == "NSDate") {
      const char* field = classname == "NSDate" ? "NS.time"
                          : classname.find("Data") != std::string::npos ? "NS.data" : "NS.string";
      const Value* inner = d->find(field);
      if (inner == nullptr) return malformed(classname + " without " + field);
      auto v = decode(*inner, depth + 1);
      if (!v) return v;
      if (classname == "NSDate") {
        auto t = v->as_real();
        if (!t) return malformed("NSDate NS.time is not a number");
        return Value(Date{*t});
      }
      return v;
    }
    Dict out;
    for (const auto& [key, member] : d->entries()) {
      if (key == "$class") continue;
      auto v = decode(member, depth + 1);
      if (!v) return v;
      out.set(key, std::move(*v));
    }
    if (!classname.empty()) out.set("$classname", Value(classname));
    return Value(std::move(out));
  }

  Result<Value> decode_array(const Array& items, std::size_t depth) {
    Array out;
    out.reserve(items.size());
    for (const Value& item : items) {
      auto v = decode(item, depth + 1);
      if (!v) return v;
      out.push_back(std::move(*v));
    }
    return Value(std::move(out));
  }

  Result<Value> decode_dictionary(const Dict& d, std::size_t depth) {
    const Value* keys = d.find("NS.keys");
    const Value* objs = d.find("NS.objects");
    if (keys == nullptr || objs == nullptr || keys->as_array() == nullptr ||
        objs->as_array() == nullptr || keys->as_array()->size() != objs->as_array()->size()) {
      return malformed("dictionary without matching NS.keys and NS.objects");
    }
    Dict out;
    for (std::size_t i = 0; i < keys->as_array()->size(); ++i) {
      auto k = decode((*keys->as_array())[i], depth + 1);
      if (!k) return k;
      if (k->as_string() == nullptr) return malformed("dictionary key is not a string");
      auto v = decode((*objs->as_array())[i], depth + 1);
      if (!v) return v;
      out.set(*k->as_string(), std::move(*v));
    }
    return Value(std::move(out));
  }

  const KeyedArchive& archive_;
  const Limits& limits_;
  std::vector<bool> on_path_;
  std::size_t values_ = 0;
};

}  // namespace

Result<KeyedArchive> KeyedArchive::parse(std::string_view bytes, const Limits& limits) {
  auto value = plist::parse(bytes, limits);
  if (!value) return tl::unexpected(value.error());
  return from_value(std::move(*value));
}

Result<KeyedArchive> KeyedArchive::from_value(Value archive) {
  const Value* archiver = archive.get("$archiver");
  if (archiver == nullptr || archiver->as_string() == nullptr ||
      *archiver->as_string() != "NSKeyedArchiver") {
    return malformed("$archiver is not NSKeyedArchiver");
  }
  const Value* objects = archive.get("$objects");
  if (objects == nullptr || objects->as_array() == nullptr || objects->as_array()->empty()) {
    return malformed("$objects missing or empty");
  }
  const Value* top = archive.get("$top");
  const Value* root = top ? top->get("root") : nullptr;
  if (root == nullptr || root->as_uid() == nullptr) return malformed("$top.root is not a UID");
  if (root->as_uid()->value >= objects->as_array()->size()) {
    return malformed("$top.root out of range");
  }
  const auto index = static_cast<std::size_t>(root->as_uid()->value);
  return KeyedArchive(std::move(archive), index);
}

Result<const Value*> KeyedArchive::deref(const Value& value) const {
  const Value* v = &value;
  if (const Uid* uid = value.as_uid()) {
    if (uid->value >= objects().size()) return malformed("UID out of range");
    v = &objects()[static_cast<std::size_t>(uid->value)];
    // Objects in $objects never are UIDs themselves; refusing them avoids chains.
    if (v->as_uid() != nullptr) return malformed("UID points at a UID");
  }
  if (is_null_marker(*v)) return static_cast<const Value*>(nullptr);
  return v;
}

Result<const Value*> KeyedArchive::member(const Value& dict, std::string_view key) const {
  const Value* v = dict.get(key);
  if (v == nullptr) return static_cast<const Value*>(nullptr);
  return deref(*v);
}

Result<Value> KeyedArchive::decode(const Value& value, const Limits& limits) const {
  return Decoder(*this, limits).decode(value, 0);
}

}  // namespace spyglass::formats::plist
