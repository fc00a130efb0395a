#include "artifacts/ios/manifest/manifest.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "formats/url/text_classes.hpp"
#include "formats/url/url.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace ib = sources::ios_backup;

// A hostile blob can hold any 64-bit time; beyond year 9999 it is no time at all (and the
// conversion to microseconds would overflow).
std::optional<std::int64_t> plausible_seconds(std::optional<std::int64_t> t) {
  constexpr std::int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  if (t && (*t > kMaxSeconds || *t < -kMaxSeconds)) return std::nullopt;
  return t;
}

json::Value unix_time_json(const std::optional<std::int64_t>& t) {
  if (!t) return json::Value(nullptr);
  return json::Value(format_mvt_time(*t * 1'000'000));
}

std::string octal(std::int64_t mode) {
  if (mode == 0) return "0o0";
  std::string digits;
  const bool negative = mode < 0;
  auto m = static_cast<std::uint64_t>(negative ? -mode : mode);
  while (m != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + (m & 7U)));
    m >>= 3;
  }
  return (negative ? "-0o" : "0o") + digits;
}

template <typename T>
json::Value opt_json(const std::optional<T>& v) {
  return v ? json::Value(*v) : json::Value(nullptr);
}

class ManifestModule final : public IosModule {
 public:
  ManifestModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "manifest";
    s.expected_cost = 3;  // large on big backups: scheduled early
    s.data_file = "manifest_files.json";  // manifest.json is the evidence manifest
    s.display_name = "Manifest";
    s.summary = "Every file listed in the backup's Manifest.db: paths, times, modes";
    s.sources = IosSources::kBackupOnly;
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    BackupEvidence* backup = run.backup();
    if (backup == nullptr) return scan::Status::not_present("reads iTunes/Finder backups only");
    std::size_t unsafe = 0;
    // Streamed: a backup lists up to a million rows; none is kept after it is emitted.
    // Table order, as MVT lists them (SELECT * FROM Files), and deterministic for a given
    // Manifest.db; fileID order would cost an index seek per row (a third of the time on a
    // 300,000-row backup).
    ib::ManifestQuery all_rows;
    all_rows.any_order = true;
    auto r = backup->for_each_manifest_entry(
        [&](const ib::ManifestEntry& e) -> Result<void> {
          if (e.unsafe_relative_path) ++unsafe;
          run.sink.emit(make_record(e));
          return {};
        },
        all_rows);
    if (!r) return scan::Status::failed("Manifest.db: " + r.error().message);
    if (unsafe != 0) {
      run.context.log().warning(std::to_string(unsafe) +
                                " Manifest.db row(s) have an absolute or \"..\" relativePath; "
                                "they are listed, never followed");
    }
    return scan::Status::ok();
  }

  static scan::Record make_record(const ib::ManifestEntry& e) {
    scan::Record r;
    std::optional<std::int64_t> created, modified, status_changed, mode, owner, size;
    if (e.file) {
      created = plausible_seconds(e.file->birth);
      modified = plausible_seconds(e.file->last_modified);
      status_changed = plausible_seconds(e.file->last_status_change);
      mode = e.file->mode;
      owner = e.file->user_id;
      size = e.file->size;
    }
    // Fixed, distinct keys: appended without a duplicate check (300,000 rows and more).
    r.data.as_object().reserve(11);
    r.data.add("file_id", e.file_id)
        .add("domain", e.domain)
        .add("relative_path", e.relative_path)
        .add("flags", e.flags)
        .add("created", unix_time_json(created))
        .add("modified", unix_time_json(modified))
        .add("status_changed", unix_time_json(status_changed))
        .add("mode", mode ? json::Value(octal(*mode)) : json::Value(nullptr))
        .add("owner", opt_json(owner))
        .add("size", opt_json(size));
    if (e.file_error) r.data.add("file_error", e.file_error->message);

    if (modified) {
      r.time = *modified * 1'000'000;
    } else if (created) {
      r.time = *created * 1'000'000;
    }
    const std::string description = e.relative_path + " - " + e.domain;
    std::set<std::int64_t> times;
    for (const auto& t : {modified, status_changed, created}) {
      if (t) times.insert(*t);
    }
    for (std::int64_t t : times) {
      r.timeline.push_back(
          {t * 1'000'000, macb(t, modified, status_changed, created), description});
    }
    if (!e.relative_path.empty()) {
      r.observe(matching::ObservableKind::kFilePath, "/" + e.relative_path, "relative_path",
                report::AlertLevel::kHigh);
      for (std::string& part : domain_like_parts(e.relative_path)) {
        r.observe(matching::ObservableKind::kUrl, std::move(part), "relative_path",
                  report::AlertLevel::kHigh);
      }
    }
    r.provenance.file = "Manifest.db";
    r.provenance.locator =
        "Files fileID " + e.file_id + " (" + e.domain + "/" + e.relative_path + ")";
    return r;
  }
};

}  // namespace

std::vector<std::string> domain_like_parts(std::string_view relative_path) {
  std::string lower(relative_path);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= lower.size()) {
    std::size_t end = lower.find('_', start);
    if (end == std::string::npos) end = lower.size();
    const std::string part = lower.substr(start, end - start);
    start = end + 1;
    if (part.find('.') == std::string::npos) continue;
    // As MVT's tld.get_tld(fix_protocol=True): read the part as "http://<part>".
    auto url = formats::url::parse_url("http://" + part);
    if (!url || url->host_is_ip) continue;
    const std::size_t dot = url->host.rfind('.');
    if (dot == std::string::npos || dot + 1 >= url->host.size()) continue;
    if (!formats::url::detail::is_known_tld(std::string_view(url->host).substr(dot + 1))) continue;
    out.push_back(part);
  }
  return out;
}

std::string macb(std::int64_t t, std::optional<std::int64_t> modified,
                 std::optional<std::int64_t> status_changed, std::optional<std::int64_t> created) {
  std::string s = "----";
  if (modified == t) s[0] = 'M';
  if (status_changed == t) s[2] = 'C';
  if (created == t) s[3] = 'B';
  return s;
}

std::unique_ptr<scan::Module> make_manifest_module() { return std::make_unique<ManifestModule>(); }

}  // namespace spyglass::artifacts::ios
