#include "artifacts/ios/global_preferences/global_preferences.hpp"

#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"

namespace spyglass::artifacts::ios {

namespace plist = formats::plist;

std::string preference_base64(const plist::Bytes& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = unsigned{bytes[i]} << 16;
    if (i + 1 < bytes.size()) v |= unsigned{bytes[i + 1]} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

json::Value preference_value_json(const plist::Value& value) {
  switch (value.type()) {
    case plist::Type::kNull: return nullptr;
    case plist::Type::kBool: return *value.as_bool();
    case plist::Type::kInt: return *value.as_int();
    case plist::Type::kUint: return std::to_string(*value.as_uint());  // beyond int64
    case plist::Type::kReal: return *value.as_real();
    case plist::Type::kDate:
      return format_mvt_time(from_mac_absolute(value.as_date()->seconds_since_2001));
    case plist::Type::kString: return *value.as_string();
    case plist::Type::kData: return preference_base64(*value.as_data());
    case plist::Type::kUid: return static_cast<std::int64_t>(value.as_uid()->value);
    case plist::Type::kArray: {
      json::Value out = json::Value::array();
      for (const plist::Value& v : *value.as_array()) out.push_back(preference_value_json(v));
      return out;
    }
    case plist::Type::kDict: {
      json::Value out = json::Value::object();
      for (const auto& [k, v] : value.as_dict()->entries()) out.set(k, preference_value_json(v));
      return out;
    }
  }
  return nullptr;
}

Result<void> read_global_preferences(std::string_view bytes, const IosFile& file,
                                     scan::RecordSink& sink) {
  auto root = plist::parse(bytes);
  if (!root) return tl::unexpected(root.error());
  const plist::Dict* dict = root->as_dict();
  if (dict == nullptr) {
    return make_error(ErrorCode::kMalformed,
                      std::string("expected a dictionary at the root, found ") +
                          plist::type_name(root->type()));
  }
  for (const auto& [key, value] : dict->entries()) {
    scan::Record rec;
    rec.data.set("entry", key);
    rec.data.set("value", preference_value_json(value));
    rec.provenance = file.provenance(key);
    if (key == "LDMGlobalEnabled") {
      // Any truthy value counts, as on device (CFPreferences reads 1 and YES alike).
      const bool on = value.as_bool() ? *value.as_bool()
                      : value.as_int() ? *value.as_int() != 0
                                       : false;
      if (on) {
        rec.flag(report::AlertLevel::kInformational, "Lockdown mode enabled");
      } else {
        rec.flag(report::AlertLevel::kLow, "Lockdown mode disabled");
      }
    }
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class GlobalPreferencesModule final : public IosModule {
 public:
  GlobalPreferencesModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "global_preferences";
    s.display_name = "GlobalPreferences";
    s.summary = "Device-wide preferences (.GlobalPreferences.plist): Lockdown Mode";
    s.locator.backup_files = {{"HomeDomain", "Library/Preferences/.GlobalPreferences.plist"}};
    s.locator.fs_globs = {"private/var/mobile/Library/Preferences/.GlobalPreferences.plist"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto bytes = run.evidence.read_file(f);
      if (!bytes) return run.file_failed(f, bytes.error());
      if (auto ok = read_global_preferences(*bytes, f, run.sink); !ok) {
        return run.file_failed(f, ok.error());
      }
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_global_preferences_module() {
  return std::make_unique<GlobalPreferencesModule>();
}

}  // namespace spyglass::artifacts::ios
