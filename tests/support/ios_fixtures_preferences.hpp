#pragma once
// Property lists read by the iOS preference/profile modules, written as binary plists (what
// cfprefsd and profiled write on device):
//   com.apple.osanalytics.addaily.plist  netUsageBaseline {proc: [date, wifi in/out, wwan in/out]}
//   locationd clients.plist              {client key: {BundleId, Executable, ...TimeStopped}}
//   .GlobalPreferences.plist             {..., LDMGlobalEnabled}
//   profile-<hash>.stub                  a configuration profile's stub
//   MCProfileEvents.plist                {ProfileEvents: [{profile id: {timestamp, operation,
//                                         process}}]}
#include <optional>
#include <string>
#include <vector>

#include "formats/plist/value.hpp"

namespace spyglass::testing {

// Binary plist bytes of any value (aborts on a fixture bug).
std::string binary_plist(const formats::plist::Value& value);

struct AdDailyEntry {
  std::string process;
  double unix_time = 0;
  double wifi_in = 0, wifi_out = 0, wwan_in = 0, wwan_out = 0;
};
std::string osanalytics_addaily_plist(const std::vector<AdDailyEntry>& entries);

// One locationd client: its key and its dictionary (built by the test).
struct LocationdClient {
  std::string key;
  formats::plist::Dict fields;
};
std::string locationd_clients_plist(const std::vector<LocationdClient>& clients);

std::string global_preferences_plist(std::optional<bool> lockdown_mode);

struct ConfigurationProfile {
  std::string uuid;  // PayloadUUID; empty: key absent
  std::string display_name = "Corporate Wi-Fi";
  std::string identifier = "com.example.profile";
  std::string first_payload_type = "com.apple.wifi.managed";
  std::optional<double> install_unix_time;
};
std::string configuration_profile_plist(const ConfigurationProfile& profile);

struct ProfileEvent {
  std::string profile_id;
  double unix_time = 0;
  std::string operation = "install";
  std::string process = "/usr/libexec/mdmd";
};
std::string profile_events_plist(const std::vector<ProfileEvent>& events);

}  // namespace spyglass::testing
