#include "support/ios_fixtures_preferences.hpp"

#include <cstdio>
#include <cstdlib>

#include "formats/plist/writer.hpp"

namespace spyglass::testing {

namespace plist = formats::plist;

std::string binary_plist(const plist::Value& value) {
  auto bytes = plist::write_binary(value);
  if (!bytes) {
    std::fprintf(stderr, "binary_plist: %s\n", bytes.error().message.c_str());
    std::abort();
  }
  return std::move(*bytes);
}

std::string osanalytics_addaily_plist(const std::vector<AdDailyEntry>& entries) {
  plist::Dict baseline;
  for (const AdDailyEntry& e : entries) {
    baseline.set(e.process, plist::Array{plist::Date::from_unix(e.unix_time), e.wifi_in,
                                         e.wifi_out, e.wwan_in, e.wwan_out});
  }
  plist::Dict root;
  root.set("netUsageBaseline", std::move(baseline));
  return binary_plist(plist::Value(std::move(root)));
}

std::string locationd_clients_plist(const std::vector<LocationdClient>& clients) {
  plist::Dict root;
  // locationd keeps a schema/migration integer beside the client dictionaries.
  root.set("ClientStorageVersion", plist::Value(1));
  for (const LocationdClient& c : clients) root.set(c.key, c.fields);
  return binary_plist(plist::Value(std::move(root)));
}

std::string global_preferences_plist(std::optional<bool> lockdown_mode) {
  plist::Dict root;
  root.set("AppleLanguages", plist::Array{"en-US"});
  root.set("AppleLocale", "en_US");
  if (lockdown_mode) root.set("LDMGlobalEnabled", *lockdown_mode);
  return binary_plist(plist::Value(std::move(root)));
}

std::string configuration_profile_plist(const ConfigurationProfile& profile) {
  plist::Dict content;
  content.set("PayloadType", profile.first_payload_type);
  content.set("PayloadIdentifier", profile.identifier + ".payload");
  content.set("PayloadUUID", "9A1B2C3D-0000-4000-8000-00000000000A");
  content.set("PayloadVersion", 1);
  content.set("PERSISTENT_REF", plist::Bytes{0x00, 0x01, 0xfe, 0xff});
  plist::Dict root;
  root.set("PayloadContent", plist::Array{plist::Value(std::move(content))});
  root.set("PayloadDisplayName", profile.display_name);
  root.set("PayloadDescription", "Installed for tests");
  root.set("PayloadIdentifier", profile.identifier);
  root.set("PayloadType", "Configuration");
  if (!profile.uuid.empty()) root.set("PayloadUUID", profile.uuid);
  root.set("PayloadVersion", 1);
  if (profile.install_unix_time) {
    root.set("InstallDate", plist::Date::from_unix(*profile.install_unix_time));
  }
  root.set("SignerCerts", plist::Array{plist::Bytes{0x30, 0x82, 0x01, 0x0a}});
  return binary_plist(plist::Value(std::move(root)));
}

std::string profile_events_plist(const std::vector<ProfileEvent>& events) {
  plist::Array list;
  for (const ProfileEvent& e : events) {
    plist::Dict details;
    details.set("timestamp", plist::Date::from_unix(e.unix_time));
    details.set("operation", e.operation);
    details.set("process", e.process);
    plist::Dict event;
    event.set(e.profile_id, std::move(details));
    list.push_back(std::move(event));
  }
  plist::Dict root;
  root.set("ProfileEvents", std::move(list));
  return binary_plist(plist::Value(std::move(root)));
}

}  // namespace spyglass::testing
