#pragma once
// Device and backup facts from the backup's Info.plist (model, iOS version, serial, dates).
#include <memory>

#include "artifacts/ios/ios_module.hpp"
#include "formats/plist/value.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_backup_info_module();

// A plist value as JSON: dates "YYYY-MM-DD HH:MM:SS" (UTC, as Python prints plistlib's),
// data as base64, arrays and dicts recursively.
json::Value plist_to_json(const formats::plist::Value& value);

}  // namespace spyglass::artifacts::ios
