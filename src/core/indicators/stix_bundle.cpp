#include "core/indicators/stix_bundle.hpp"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/indicators/indicator_value.hpp"
#include "core/indicators/stix_pattern.hpp"

namespace spyglass::indicators {
namespace {

namespace od = simdjson::ondemand;

class Warner {
 public:
  Warner(std::vector<LoadWarning>& out, const std::string& file) : out_(out), file_(file) {}
  ~Warner() {
    if (count_ > kMaxWarningsPerFile) {
      out_.push_back(
          {file_, "", std::to_string(count_ - kMaxWarningsPerFile) + " further warnings omitted"});
    }
  }
  Warner(const Warner&) = delete;
  Warner& operator=(const Warner&) = delete;

  void operator()(std::string_view indicator_id, std::string message) {
    if (++count_ <= kMaxWarningsPerFile) {
      out_.push_back({file_, std::string(indicator_id), std::move(message)});
    }
  }

 private:
  std::vector<LoadWarning>& out_;
  const std::string& file_;
  std::size_t count_ = 0;
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The fields of one bundle entry that spyglass reads. The JSON is read forward only (one
// pass, no DOM), so every entry is captured whatever its type and judged afterwards.
// The views point into the parser's string buffer and live until the next document.
struct RawObject {
  std::string_view type, id, name, description;
  std::string_view pattern, pattern_type, valid_from, valid_until;
  std::string_view relationship_type, source_ref, target_ref;
  std::vector<std::string_view> object_refs;
  bool has_pattern = false;
  bool revoked = false;
};

struct RawBundle {
  std::string_view type;
  bool has_objects = false;
  std::vector<RawObject> objects;
  std::size_t non_objects = 0;  // array entries that are not JSON objects
};

// Reads a string member; a member of another JSON type is treated as absent. The first
// occurrence of a duplicated key wins, as in most JSON readers.
simdjson::error_code read_string(od::value& value, std::string_view& out, bool* present = nullptr) {
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  if (type != od::json_type::string || (present != nullptr ? *present : !out.empty())) {
    return simdjson::SUCCESS;
  }
  if (auto err = value.get_string().get(out)) return err;
  if (present != nullptr) *present = true;
  return simdjson::SUCCESS;
}

simdjson::error_code read_object(od::value& value, RawObject& obj) {
  od::object members;
  if (auto err = value.get_object().get(members)) return err;
  for (auto member_result : members) {
    od::field member;
    if (auto err = std::move(member_result).get(member)) return err;
    std::string_view key;
    if (auto err = member.unescaped_key().get(key)) return err;
    od::value& v = member.value();
    simdjson::error_code err = simdjson::SUCCESS;
    if (key == "type") {
      err = read_string(v, obj.type);
    } else if (key == "id") {
      err = read_string(v, obj.id);
    } else if (key == "name") {
      err = read_string(v, obj.name);
    } else if (key == "description") {
      err = read_string(v, obj.description);
    } else if (key == "pattern") {
      err = read_string(v, obj.pattern, &obj.has_pattern);
    } else if (key == "pattern_type") {
      err = read_string(v, obj.pattern_type);
    } else if (key == "valid_from") {
      err = read_string(v, obj.valid_from);
    } else if (key == "valid_until") {
      err = read_string(v, obj.valid_until);
    } else if (key == "relationship_type") {
      err = read_string(v, obj.relationship_type);
    } else if (key == "source_ref") {
      err = read_string(v, obj.source_ref);
    } else if (key == "target_ref") {
      err = read_string(v, obj.target_ref);
    } else if (key == "revoked") {
      od::json_type type;
      if ((err = v.type().get(type)) == simdjson::SUCCESS && type == od::json_type::boolean) {
        err = v.get_bool().get(obj.revoked);
      }
    } else if (key == "object_refs") {
      od::json_type type;
      if ((err = v.type().get(type)) == simdjson::SUCCESS && type == od::json_type::array &&
          obj.object_refs.empty()) {
        od::array refs;
        if ((err = v.get_array().get(refs))) return err;
        for (auto ref_result : refs) {
          od::value ref;
          if ((err = std::move(ref_result).get(ref))) return err;
          std::string_view text;
          if ((err = read_string(ref, text))) return err;
          if (!text.empty()) obj.object_refs.push_back(text);
        }
      }
    }
    // Members not read here are skipped by the iterator.
    if (err) return err;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code read_bundle(od::document& doc, RawBundle& bundle) {
  od::object root;
  if (auto err = doc.get_object().get(root)) return err;
  for (auto member_result : root) {
    od::field member;
    if (auto err = std::move(member_result).get(member)) return err;
    std::string_view key;
    if (auto err = member.unescaped_key().get(key)) return err;
    od::value& v = member.value();
    if (key == "type") {
      if (auto err = read_string(v, bundle.type)) return err;
    } else if (key == "objects" && !bundle.has_objects) {
      od::json_type type;
      if (auto err = v.type().get(type)) return err;
      if (type != od::json_type::array) continue;
      bundle.has_objects = true;
      od::array entries;
      if (auto err = v.get_array().get(entries)) return err;
      for (auto entry_result : entries) {
        od::value entry;
        if (auto err = std::move(entry_result).get(entry)) return err;
        od::json_type entry_type;
        if (auto err = entry.type().get(entry_type)) return err;
        if (entry_type != od::json_type::object) {
          ++bundle.non_objects;
          continue;
        }
        bundle.objects.emplace_back();
        if (auto err = read_object(entry, bundle.objects.back())) return err;
      }
    }
  }
  // Trailing bytes after the root object make the document invalid as a whole.
  // (current_location() fails once every structural has been consumed.)
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return simdjson::TRAILING_CONTENT;
  }
  return simdjson::SUCCESS;
}

std::optional<UnixMicros> parse_time(std::string_view text, std::string_view key,
                                     std::string_view indicator_id, Warner& warn) {
  if (text.empty()) return std::nullopt;
  auto t = parse_iso_time(text);
  if (!t) warn(indicator_id, std::string(key) + " '" + std::string(text) + "' is not a timestamp");
  return t;
}

// Turns the captured objects into collections and indicators.
void resolve(const RawBundle& bundle, std::uint32_t file_index, const std::string& display_name,
             BundleOutput out, Warner& warn) {
  if (bundle.non_objects != 0) {
    warn("", std::to_string(bundle.non_objects) + " bundle entries are not JSON objects; ignored");
  }
  // Collections and membership first: relationships may come before or after the objects
  // they join.
  std::unordered_set<std::string_view> object_ids;
  std::unordered_map<std::string_view, std::uint32_t> collection_by_id;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> membership;
  std::size_t indicator_count = 0;
  for (const RawObject& obj : bundle.objects) {
    if (!obj.id.empty()) object_ids.insert(obj.id);
    if (obj.type == "indicator") {
      ++indicator_count;
      if (!obj.id.empty()) membership[obj.id];
    } else if (obj.type == "malware" || obj.type == "report") {
      if (obj.id.empty()) {
        warn("", std::string(obj.type) + " object without an id; ignored");
        continue;
      }
      const auto index = static_cast<std::uint32_t>(out.collections.size());
      if (!collection_by_id.emplace(obj.id, index).second) {
        warn("",
             "duplicate " + std::string(obj.type) + " id " + std::string(obj.id) + "; first kept");
        continue;
      }
      const std::string_view name = obj.name.empty() ? obj.id : obj.name;
      out.collections.push_back({std::string(obj.id), std::string(obj.type), std::string(name),
                                 std::string(obj.description), file_index});
    }
  }

  for (const RawObject& obj : bundle.objects) {
    if (obj.type != "report") continue;
    const auto collection = collection_by_id.find(obj.id);
    if (collection == collection_by_id.end()) continue;
    for (std::string_view ref : obj.object_refs) {
      if (auto it = membership.find(ref); it != membership.end()) {
        it->second.push_back(collection->second);
      } else if (starts_with(ref, "indicator--") && object_ids.count(ref) == 0) {
        warn(ref, "report " + std::string(obj.id) + " lists an indicator that is not in this file");
      }
    }
  }
  for (const RawObject& rel : bundle.objects) {
    if (rel.type != "relationship" || rel.relationship_type != "indicates") continue;
    auto source = membership.find(rel.source_ref);
    auto target = collection_by_id.find(rel.target_ref);
    if (source != membership.end() && target != collection_by_id.end()) {
      source->second.push_back(target->second);
      continue;
    }
    // Relationships between other object kinds (campaigns, intrusion sets) are not ours to
    // judge; only references to objects absent from the file are worth a warning.
    const std::string_view indicator_id =
        starts_with(rel.source_ref, "indicator--") ? rel.source_ref : std::string_view();
    const std::string_view missing = object_ids.count(rel.source_ref) == 0   ? rel.source_ref
                                     : object_ids.count(rel.target_ref) == 0 ? rel.target_ref
                                                                             : std::string_view();
    if (rel.source_ref.empty() || rel.target_ref.empty()) {
      warn(indicator_id,
           "relationship " + std::string(rel.id) + " lacks a source_ref or target_ref; ignored");
    } else if (!missing.empty()) {
      warn(indicator_id, "relationship " + std::string(rel.id) + " refers to " +
                             std::string(missing) + ", which is not in this file; ignored");
    }
  }

  // Indicators in file order.
  out.indicators.reserve(out.indicators.size() + indicator_count);
  std::optional<std::uint32_t> default_collection;
  for (const RawObject& obj : bundle.objects) {
    if (obj.type != "indicator") continue;
    const std::string_view id = obj.id;
    if (id.empty()) warn("", "indicator without an id");
    if (obj.revoked) {
      warn(id, "indicator is revoked; skipped");
      continue;
    }
    if (!obj.pattern_type.empty() && obj.pattern_type != "stix") {
      warn(id, "pattern_type '" + std::string(obj.pattern_type) + "' is not supported; skipped");
      continue;
    }
    if (!obj.has_pattern) {
      warn(id, "indicator without a pattern; skipped");
      continue;
    }
    auto comparisons = parse_stix_pattern(obj.pattern);
    if (!comparisons) {
      warn(id, "pattern not supported (" + comparisons.error().message + "); skipped");
      continue;
    }
    const auto valid_from = parse_time(obj.valid_from, "valid_from", id, warn);
    const auto valid_until = parse_time(obj.valid_until, "valid_until", id, warn);

    std::vector<std::uint32_t> collections;
    if (auto it = membership.find(id); it != membership.end()) collections = it->second;
    std::sort(collections.begin(), collections.end());
    collections.erase(std::unique(collections.begin(), collections.end()), collections.end());

    for (PatternComparison& cmp : *comparisons) {
      if (!cmp.type) {
        warn(id, "object path '" + cmp.object_path + "' is not supported; skipped");
        continue;
      }
      std::string why;
      auto normal = normalise_value(*cmp.type, cmp.value, why);
      if (!normal) {
        warn(id, why + "; skipped");
        continue;
      }
      if (!normal->note.empty()) warn(id, std::move(normal->note));
      if (collections.empty()) {
        if (!default_collection) {
          default_collection = static_cast<std::uint32_t>(out.collections.size());
          out.collections.push_back({"", "default", display_name, "", file_index});
        }
        collections.push_back(*default_collection);
      }
      Indicator indicator;
      indicator.stix_id = std::string(id);
      indicator.type = normal->type;
      indicator.value = std::move(normal->value);
      indicator.original = std::move(cmp.value);
      indicator.pattern = std::string(obj.pattern);
      indicator.file = file_index;
      indicator.collections = collections;
      indicator.valid_from = valid_from;
      indicator.valid_until = valid_until;
      out.indicators.push_back(std::move(indicator));
    }
  }
}

}  // namespace

struct BundleParser::Impl {
  od::parser parser;
  RawBundle bundle;  // kept to reuse its vectors' storage between files
};

BundleParser::BundleParser() : impl_(std::make_unique<Impl>()) {}
BundleParser::~BundleParser() = default;

std::size_t BundleParser::padding() { return simdjson::SIMDJSON_PADDING; }

void BundleParser::reserve(std::size_t max_bytes) {
  // On failure the parser keeps its old buffers and grows when it parses, as without this.
  if (max_bytes > impl_->parser.capacity() &&
      impl_->parser.allocate(max_bytes) != simdjson::SUCCESS) {
    return;
  }
}

void BundleParser::parse(std::string_view json, bool json_padded, std::uint32_t file_index,
                         const std::string& display_name, BundleOutput out) {
  Warner warn(out.warnings, display_name);
  if (json.size() > kMaxBundleBytes) {
    warn("", "file is larger than 256 MiB; skipped");
    return;
  }
  simdjson::padded_string copy;
  simdjson::padded_string_view view;
  if (json_padded) {
    view = simdjson::padded_string_view(json.data(), json.size(), json.size() + padding());
  } else {
    copy = simdjson::padded_string(json);
    view = copy;
  }
  RawBundle& bundle = impl_->bundle;
  bundle.type = {};
  bundle.has_objects = false;
  bundle.objects.clear();
  bundle.non_objects = 0;
  od::document doc;
  simdjson::error_code err = impl_->parser.iterate(view).get(doc);
  if (!err) err = read_bundle(doc, bundle);
  if (err) {
    // Nothing from a file that is not valid JSON: its first half may say anything.
    warn("", std::string("invalid JSON: ") + simdjson::error_message(err));
    return;
  }
  if (bundle.type != "bundle" || !bundle.has_objects) {
    warn("", "not a STIX 2.1 bundle (expected type \"bundle\" with an \"objects\" array)");
    return;
  }
  resolve(bundle, file_index, display_name, out, warn);
}

void parse_stix_bundle(std::string_view json, std::uint32_t file_index,
                       const std::string& display_name, std::vector<Collection>& collections,
                       std::vector<Indicator>& indicators, std::vector<LoadWarning>& warnings) {
  BundleParser parser;
  parser.parse(json, false, file_index, display_name, {collections, indicators, warnings});
}

}  // namespace spyglass::indicators
