#include "artifacts/ios/backup_info/ios_versions.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>

namespace spyglass::artifacts::ios {

extern const std::string_view kBundledIosVersionsJson;

namespace {

tl::unexpected<Error> bad_list(std::string message) {
  return make_error(ErrorCode::kMalformed, "ios_versions.json: " + std::move(message));
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 40) out += "...";
  return out;
}

scan::StandaloneAlert info_alert(std::string message, std::string_view product_version,
                                 std::string_view build_version) {
  scan::StandaloneAlert a;
  a.level = report::AlertLevel::kInformational;
  a.message = std::move(message);
  a.event.set("Product Version", std::string(product_version));
  a.event.set("Build Version", std::string(build_version));
  a.provenance.file = "Info.plist";
  return a;
}

}  // namespace

const IosRelease& IosVersionList::newest() const {
  // Ties (one version, several builds): the first listed.
  const IosRelease* best = &releases.front();
  for (const IosRelease& r : releases) {
    if (compare_ios_versions(r.version, best->version) > 0) best = &r;
  }
  return *best;
}

const IosRelease* IosVersionList::find_build(std::string_view build) const {
  for (const IosRelease& r : releases) {
    if (r.build == build) return &r;
  }
  return nullptr;
}

std::optional<std::vector<int>> parse_ios_version(std::string_view text) {
  std::vector<int> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::string_view part =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 5 || parts.size() == 4) return std::nullopt;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    int value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
    parts.push_back(value);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

int compare_ios_versions(const std::vector<int>& a, const std::vector<int>& b) {
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const int x = i < a.size() ? a[i] : 0;
    const int y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

Result<IosVersionList> parse_ios_version_list(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return bad_list("not JSON");
  IosVersionList list;
  std::string_view compiled;
  if (root["compiled"].get_string().get(compiled) != simdjson::SUCCESS) {
    return bad_list("no \"compiled\" date");
  }
  list.compiled = std::string(compiled);
  std::int64_t complete = 0;
  if (root["builds_complete_from_major"].get_int64().get(complete) != simdjson::SUCCESS) {
    return bad_list("no \"builds_complete_from_major\"");
  }
  list.builds_complete_from_major = static_cast<int>(complete);
  simdjson::dom::array releases;
  if (root["releases"].get_array().get(releases) != simdjson::SUCCESS) {
    return bad_list("no \"releases\" array");
  }
  for (simdjson::dom::element e : releases) {
    IosRelease r;
    std::string_view version;
    std::string_view build;
    if (e["version"].get_string().get(version) != simdjson::SUCCESS ||
        e["build"].get_string().get(build) != simdjson::SUCCESS || build.empty()) {
      return bad_list("a release without \"version\" or \"build\"");
    }
    auto parsed = parse_ios_version(version);
    if (!parsed) return bad_list("bad version \"" + printable(version) + "\"");
    r.version = std::move(*parsed);
    r.version_text = std::string(version);
    r.build = std::string(build);
    std::string_view released;
    if (e["released"].get_string().get(released) == simdjson::SUCCESS) {
      r.released = std::string(released);
    }
    list.releases.push_back(std::move(r));
  }
  if (list.releases.empty()) return bad_list("no releases");
  return list;
}

const IosVersionList* bundled_ios_versions() {
  static const Result<IosVersionList> list = parse_ios_version_list(kBundledIosVersionsJson);
  return list ? &*list : nullptr;
}

std::vector<scan::StandaloneAlert> check_ios_version(const IosVersionList& list,
                                                     std::string_view product_version,
                                                     std::string_view build_version) {
  std::vector<scan::StandaloneAlert> out;
  if (product_version.empty()) return out;
  const std::optional<std::vector<int>> version = parse_ios_version(product_version);
  if (!version) {
    out.push_back(info_alert("Product Version \"" + printable(product_version) +
                                 "\" in Info.plist is not an iOS version number; the "
                                 "outdated-iOS check was skipped",
                             product_version, build_version));
    return out;
  }
  const IosRelease& newest = list.newest();
  const int against_newest = compare_ios_versions(*version, newest.version);
  if (against_newest < 0) {
    scan::StandaloneAlert a;
    a.level = report::AlertLevel::kLow;
    a.message = "iOS " + std::string(product_version) +
                " is older than the newest known release " + newest.version_text +
                " (released " + (newest.released.empty() ? "on an unknown date" : newest.released) +
                "); devices that are not updated are more exposed";
    a.event.set("Product Version", std::string(product_version));
    a.event.set("Build Version", std::string(build_version));
    a.event.set("newest_known_version", newest.version_text);
    a.event.set("newest_known_build", newest.build);
    a.event.set("newest_known_released", newest.released);
    a.event.set("list_compiled", list.compiled);
    a.provenance.file = "Info.plist";
    out.push_back(std::move(a));
  } else if (against_newest > 0) {
    out.push_back(info_alert("iOS " + std::string(product_version) +
                                 " is newer than every release in the bundled list (compiled " +
                                 list.compiled + "); whether it is current cannot be told",
                             product_version, build_version));
  }
  if (build_version.empty()) return out;
  if (const IosRelease* known = list.find_build(build_version); known != nullptr) {
    if (compare_ios_versions(known->version, *version) != 0) {
      out.push_back(info_alert("Build Version " + printable(build_version) + " is iOS " +
                                   known->version_text +
                                   " in the bundled list, but Info.plist says Product Version " +
                                   printable(product_version),
                               product_version, build_version));
    }
  } else if (version->front() >= list.builds_complete_from_major) {
    out.push_back(info_alert("Build Version " + printable(build_version) + " (iOS " +
                                 printable(product_version) +
                                 ") is not a public release in the bundled list (compiled " +
                                 list.compiled + "): a newer or beta build, or an edited Info.plist",
                             product_version, build_version));
  }
  return out;
}

}  // namespace spyglass::artifacts::ios
