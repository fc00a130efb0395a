#pragma once
// Installed App Store (and other) apps from their iTunes metadata: backup Info.plist's
// Applications, or each app bundle's iTunesMetadata.plist in a filesystem dump.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/plist/value.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_applications_module();

// An iTunesMetadata plist (binary or XML, bounded); its root must be a dict.
Result<formats::plist::Value> parse_itunes_metadata(std::string_view bytes);

struct AppSource {
  std::optional<std::string> name;                    // backup: the Applications key
  std::optional<std::string> file_path;               // dump: the plist's path
  std::optional<std::span<const std::uint8_t>> icon;  // backup: PlaceholderIcon
  std::optional<std::string> metadata_error;          // metadata missing or unreadable
};

// One app as a record: MVT's fields (the metadata, name/file_path, isodate, icon_sha256),
// the app_installed event, the bundle id observables and the two heuristics. `metadata` is
// nullptr when the app has none.
scan::Record application_record(const formats::plist::Dict* metadata, const AppSource& source);

// purchaseDate from com.apple.iTunesStore.downloadInfo ("2021-03-01T12:00:00Z", UTC).
std::optional<UnixMicros> itunes_purchase_date(const formats::plist::Dict& metadata);

}  // namespace spyglass::artifacts::ios
