#pragma once
// Installed apps as iOS records them: an app bundle's iTunesMetadata.plist (App Store
// layout), and the backup's Info.plist "Applications" dict {bundle id: {iTunesMetadata:
// <plist bytes>, PlaceholderIcon: <PNG bytes>}} that Finder/iTunes write.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

struct ItunesMetadata {
  std::optional<std::string> bundle_id;  // softwareVersionBundleId
  std::string item_name = "App";
  std::string artist_name = "Vendor Ltd";
  std::string version = "1.0";
  std::optional<std::string> source_app = "com.apple.AppStore";
  std::optional<std::string> purchase_date = "2021-03-01T12:00:00Z";
  std::int64_t item_id = 310633997;
};

// The plist bytes (binary unless `xml`).
std::string itunes_metadata_plist(const ItunesMetadata& m, bool xml = false);

struct BackupApp {
  std::string bundle;
  std::optional<std::string> metadata;  // iTunesMetadata bytes; absent: key omitted
  std::optional<std::string> icon;      // PlaceholderIcon bytes
};

// Rewrites a written backup's Info.plist with an Applications dict (as Finder adds it).
void add_backup_applications(const std::filesystem::path& backup_dir,
                             const std::vector<BackupApp>& apps);

}  // namespace spyglass::testing
