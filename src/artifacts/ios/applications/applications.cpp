#include "artifacts/ios/applications/applications.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "artifacts/ios/backup_info/backup_info.hpp"
#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/reader.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;
using matching::CommTruncation;
using matching::ObservableKind;

// A real iTunesMetadata.plist is a few KB; one embedded in Info.plist likewise.
constexpr std::size_t kMaxMetadataBytes = 8u << 20;
constexpr std::size_t kMaxMetadataValues = 1u << 16;

// Installers that mean "from Apple's store or the device's MDM" (dmd installs managed apps).
constexpr std::array<std::string_view, 4> kKnownInstallers = {
    "com.apple.AppStore", "com.apple.AppStore.ProductPageExtension", "com.apple.dmd", "dmd"};
constexpr std::string_view kDefaultInstaller = "com.apple.AppStore";

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2U);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

const std::string* string_field(const plist::Dict* d, std::string_view key) {
  if (d == nullptr) return nullptr;
  const plist::Value* v = d->find(key);
  return v ? v->as_string() : nullptr;
}

std::string text_or_empty(const plist::Dict* d, std::string_view key) {
  const std::string* s = string_field(d, key);
  return s ? *s : std::string();
}

}  // namespace

Result<plist::Value> parse_itunes_metadata(std::string_view bytes) {
  if (bytes.size() > kMaxMetadataBytes) {
    return make_error(ErrorCode::kLimitExceeded, "iTunes metadata larger than 8 MiB");
  }
  plist::Limits limits;
  limits.max_input_bytes = kMaxMetadataBytes;
  limits.max_values = kMaxMetadataValues;
  auto v = plist::parse(bytes, limits);
  if (!v) return tl::unexpected(v.error());
  if (v->as_dict() == nullptr) {
    return make_error(ErrorCode::kMalformed, std::string("iTunes metadata is a ") +
                                                 plist::type_name(v->type()) + ", not a dict");
  }
  return v;
}

std::optional<UnixMicros> itunes_purchase_date(const plist::Dict& metadata) {
  const plist::Value* info = metadata.find("com.apple.iTunesStore.downloadInfo");
  const plist::Value* date = info ? info->get("purchaseDate") : nullptr;
  if (date == nullptr) return std::nullopt;
  // The string ends in 'Z': it is UTC. (MVT parses it as a naive time and then converts it
  // from the analyst's local zone, shifting it by the host's offset.)
  if (const std::string* s = date->as_string()) return parse_iso_time(*s);
  if (const plist::Date* d = date->as_date()) {
    const double unix = d->unix_seconds();
    if (std::isfinite(unix) && std::fabs(unix) < 1e11) return from_unix_seconds(unix);
  }
  return std::nullopt;
}

scan::Record application_record(const plist::Dict* metadata, const AppSource& source) {
  scan::Record rec;
  if (source.name) rec.data.set("name", *source.name);
  if (metadata != nullptr) {
    for (const auto& [key, value] : metadata->entries()) rec.data.set(key, plist_to_json(value));
  }
  if (source.file_path) rec.data.set("file_path", *source.file_path);
  const std::optional<UnixMicros> installed =
      metadata ? itunes_purchase_date(*metadata) : std::nullopt;
  if (installed) rec.data.set("isodate", format_mvt_time(*installed));
  if (source.icon) rec.data.set("icon_sha256", sha256_hex(*source.icon));
  if (source.metadata_error) rec.data.set("itunes_metadata_error", *source.metadata_error);
  rec.time = installed;

  const std::string* bundle_id = string_field(metadata, "softwareVersionBundleId");
  const std::string* source_app = string_field(metadata, "sourceApp");
  const plist::Value* source_app_value = metadata ? metadata->find("sourceApp") : nullptr;
  std::string label = bundle_id && !bundle_id->empty() ? *bundle_id
                      : source.name                    ? *source.name
                      : !text_or_empty(metadata, "itemName").empty()
                          ? text_or_empty(metadata, "itemName")
                          : source.file_path.value_or("?");
  const std::string installer = source_app_value == nullptr ? std::string(kDefaultInstaller)
                                : source_app                ? *source_app
                                                            : std::string("(not a string)");

  if (installed) {
    const std::string name = source.name ? *source.name
                             : !text_or_empty(metadata, "itemName").empty()
                                 ? text_or_empty(metadata, "itemName")
                                 : label;
    rec.timeline.push_back(
        {*installed, "app_installed",
         "App " + name + " version " + text_or_empty(metadata, "bundleShortVersionString") +
             " from " + text_or_empty(metadata, "artistName") + " installed from " + installer});
  }

  if (bundle_id && !bundle_id->empty()) {
    // A bundle id is no kernel process name: no 16-character truncation rule.
    rec.observe(ObservableKind::kProcess, *bundle_id, "softwareVersionBundleId");
    rec.observables.back().observable.truncation = CommTruncation::kNone;
    rec.observe(ObservableKind::kAppId, *bundle_id, "softwareVersionBundleId");
  } else {
    // App Store metadata always names the bundle; an app without it came another way.
    rec.flag(report::AlertLevel::kMedium,
             "Suspicious application identified without softwareVersionBundleId: " + label);
  }
  const bool known = std::any_of(kKnownInstallers.begin(), kKnownInstallers.end(),
                                 [&](std::string_view k) { return k == installer; });
  if (!known) {
    rec.flag(report::AlertLevel::kMedium,
             "Suspicious app not installed from the App Store or "
             "MDM: " +
                 label + " (sourceApp " + installer + ")");
  }
  return rec;
}

namespace {

class ApplicationsModule final : public IosModule {
 public:
  ApplicationsModule() : IosModule(make_spec()) {}

 private:
  // The locator stays empty: on a backup the apps are in Info.plist, which the backup
  // source has already read; on a dump they are one plist per app bundle.
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "applications";
    s.display_name = "Applications";
    s.summary = "Installed apps, their installer and purchase date (iTunes metadata)";
    return s;
  }

  static IosLocator fs_locator() {
    IosLocator l;
    l.fs_globs = {"private/var/containers/Bundle/Application/*/iTunesMetadata.plist"};
    return l;
  }

  scan::Status run_files(IosRun& run) override {
    if (BackupEvidence* backup = run.backup()) return run_backup(run, *backup);
    return run_dump(run);
  }

  static scan::Status run_backup(IosRun& run, BackupEvidence& backup) {
    const plist::Value* info = backup.backup().info_plist();
    if (info == nullptr) {
      for (const auto& d : backup.backup().diagnostics()) {
        if (d.code == "info_plist_malformed") return scan::Status::failed(d.message);
      }
      return scan::Status::not_present("the backup has no Info.plist");
    }
    backup.note_read("Info.plist");
    const plist::Value* apps = info->get("Applications");
    if (apps == nullptr) return scan::Status::not_present("Info.plist lists no Applications");
    const plist::Dict* by_bundle = apps->as_dict();
    if (by_bundle == nullptr) {
      return scan::Status::failed(std::string("Info.plist: Applications is a ") +
                                  plist::type_name(apps->type()) + ", not a dict");
    }
    for (const auto& [bundle, entry] : by_bundle->entries()) {
      AppSource source;
      source.name = bundle;
      const plist::Value* blob = entry.get("iTunesMetadata");
      std::optional<plist::Value> metadata;
      if (blob == nullptr) {
        source.metadata_error = "no iTunesMetadata";
      } else if (const plist::Bytes* bytes = blob->as_data()) {
        auto parsed = parse_itunes_metadata(
            std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
        if (parsed) {
          metadata = std::move(*parsed);
        } else {
          source.metadata_error = parsed.error().message;
        }
      } else {
        source.metadata_error =
            std::string("iTunesMetadata is a ") + plist::type_name(blob->type()) + ", not data";
      }
      if (source.metadata_error) {
        run.context.log().warning("Info.plist Applications/" + bundle + ": " +
                                  *source.metadata_error);
      }
      if (const plist::Value* icon = entry.get("PlaceholderIcon"); icon && icon->as_data()) {
        source.icon = std::span<const std::uint8_t>(*icon->as_data());
      }
      scan::Record rec = application_record(metadata ? metadata->as_dict() : nullptr, source);
      rec.provenance.file = "Info.plist";
      rec.provenance.locator = "Info.plist: Applications/" + bundle;
      run.sink.emit(std::move(rec));
    }
    return scan::Status::ok();
  }

  static scan::Status run_dump(IosRun& run) {
    auto files = run.evidence.find(fs_locator());
    if (!files) return scan::Status::failed(files.error().message);
    if (files->empty()) {
      return scan::Status::not_present("no iTunesMetadata.plist in this " +
                                       std::string(source_kind_name(run.evidence.kind())));
    }
    std::size_t bad = 0;
    std::string first_error;
    for (const IosFile& f : *files) {
      auto bytes = run.evidence.read_file(f, kMaxMetadataBytes);
      Result<plist::Value> parsed = bytes ? parse_itunes_metadata(*bytes)
                                          : Result<plist::Value>(tl::unexpected(bytes.error()));
      if (!parsed) {
        // One unreadable bundle does not hide the others; the module still fails below.
        if (bad++ == 0) first_error = f.display_name() + ": " + parsed.error().message;
        run.context.log().warning(f.display_name() + ": " + parsed.error().message);
        continue;
      }
      AppSource source;
      source.file_path = f.evidence_path;
      scan::Record rec = application_record(parsed->as_dict(), source);
      rec.provenance = f.provenance();
      run.sink.emit(std::move(rec));
    }
    if (bad > 0) {
      return scan::Status::failed(std::to_string(bad) + " of " + std::to_string(files->size()) +
                                  " iTunesMetadata.plist unreadable; first: " + first_error);
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_applications_module() {
  return std::make_unique<ApplicationsModule>();
}

}  // namespace spyglass::artifacts::ios
