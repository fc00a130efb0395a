#include "formats/plist/libplist_convert.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace spyglass::formats::plist::detail {
namespace {

struct FromState {
  std::size_t max_depth;
  std::size_t max_values;
  std::size_t values = 0;
};

Result<Value> convert(plist_t node, std::size_t depth, FromState& st) {
  if (depth > st.max_depth) return make_error(ErrorCode::kLimitExceeded, "plist nested too deeply");
  if (++st.values > st.max_values) {
    return make_error(ErrorCode::kLimitExceeded, "plist has too many values");
  }
  switch (plist_get_node_type(node)) {
    case PLIST_BOOLEAN: {
      uint8_t b = 0;
      plist_get_bool_val(node, &b);
      return Value(b != 0);
    }
    case PLIST_UINT: {
      // libplist 2.2 cannot tell a negative integer from one above INT64_MAX; the signed
      // reading is the common case.
      uint64_t u = 0;
      plist_get_uint_val(node, &u);
      return Value(static_cast<std::int64_t>(u));
    }
    case PLIST_REAL: {
      double d = 0;
      plist_get_real_val(node, &d);
      return Value(d);
    }
    case PLIST_STRING:
    case PLIST_KEY: {
      uint64_t len = 0;
      const char* p = plist_get_string_ptr(node, &len);
      return Value(std::string(p ? p : "", p ? static_cast<std::size_t>(len) : 0));
    }
    case PLIST_DATA: {
      uint64_t len = 0;
      const char* p = plist_get_data_ptr(node, &len);
      const auto* b = reinterpret_cast<const std::uint8_t*>(p);
      return Value(p ? Bytes(b, b + len) : Bytes());
    }
    case PLIST_DATE: {
      int32_t sec = 0;
      int32_t usec = 0;
      plist_get_date_val(node, &sec, &usec);
      return Value(Date{static_cast<double>(sec) + static_cast<double>(usec) / 1e6});
    }
    case PLIST_UID: {
      uint64_t u = 0;
      plist_get_uid_val(node, &u);
      return Value(Uid{u});
    }
    case PLIST_ARRAY: {
      Array out;
      const uint32_t n = plist_array_get_size(node);
      for (uint32_t i = 0; i < n; ++i) {
        auto item = convert(plist_array_get_item(node, i), depth + 1, st);
        if (!item) return item;
        out.push_back(std::move(*item));
      }
      return Value(std::move(out));
    }
    case PLIST_DICT: {
      Dict out;
      plist_dict_iter it = nullptr;
      plist_dict_new_iter(node, &it);
      Result<Value> failure = Value();
      bool failed = false;
      while (it != nullptr) {
        char* key = nullptr;
        plist_t val = nullptr;
        plist_dict_next_item(node, it, &key, &val);
        if (key == nullptr || val == nullptr) {
          std::free(key);
          break;
        }
        std::string k(key);
        std::free(key);
        auto item = convert(val, depth + 1, st);
        if (!item) {
          failure = std::move(item);
          failed = true;
          break;
        }
        out.set(std::move(k), std::move(*item));
      }
      std::free(it);
      if (failed) return failure;
      return Value(std::move(out));
    }
    default:
      return make_error(ErrorCode::kMalformed, "plist node of unknown type");
  }
}

}  // namespace

Result<Value> from_libplist(plist_t node, std::size_t max_depth, std::size_t max_values) {
  FromState st{max_depth, max_values};
  return convert(node, 0, st);
}

plist_t to_libplist(const Value& value) {
  switch (value.type()) {
    case Type::kNull:
      return nullptr;
    case Type::kBool:
      return plist_new_bool(*value.as_bool() ? 1 : 0);
    case Type::kInt:
      return plist_new_uint(static_cast<uint64_t>(*value.as_int()));
    case Type::kUint:
      return plist_new_uint(*value.as_uint());
    case Type::kReal:
      return plist_new_real(*value.as_real());
    case Type::kDate: {
      const double s = value.as_date()->seconds_since_2001;
      const double whole = std::floor(s);
      return plist_new_date(static_cast<int32_t>(whole),
                            static_cast<int32_t>(std::lround((s - whole) * 1e6)));
    }
    case Type::kString:
      return plist_new_string(value.as_string()->c_str());
    case Type::kData: {
      const Bytes& b = *value.as_data();
      return plist_new_data(reinterpret_cast<const char*>(b.data()), b.size());
    }
    case Type::kUid:
      return plist_new_uid(value.as_uid()->value);
    case Type::kArray: {
      plist_t out = plist_new_array();
      for (const Value& item : *value.as_array()) {
        if (plist_t child = to_libplist(item)) plist_array_append_item(out, child);
      }
      return out;
    }
    case Type::kDict: {
      plist_t out = plist_new_dict();
      for (const auto& [k, v] : value.as_dict()->entries()) {
        if (plist_t child = to_libplist(v)) plist_dict_set_item(out, k.c_str(), child);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace spyglass::formats::plist::detail
