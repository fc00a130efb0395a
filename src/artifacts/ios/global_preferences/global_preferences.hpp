#pragma once
// .GlobalPreferences.plist: device-wide settings. Lockdown Mode (LDMGlobalEnabled) is the
// one spyglass checks: on is informational, explicitly off is worth a note for at-risk users.
#include <memory>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/json/json_value.hpp"
#include "formats/plist/value.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_global_preferences_module();

Result<void> read_global_preferences(std::string_view bytes, const IosFile& file,
                                     scan::RecordSink& sink);

// A plist value as the preference modules carry it (dates always with microseconds, as MVT
// converts them field by field; backup_info.hpp has the Info.plist variant): dates in
// MVT's time format, data as standard base64, UIDs as integers, key order kept.
json::Value preference_value_json(const formats::plist::Value& value);
std::string preference_base64(const formats::plist::Bytes& bytes);

}  // namespace spyglass::artifacts::ios
