#include "scan/module_list.hpp"

#include "artifacts/ios/backup_info/backup_info.hpp"
#include "artifacts/ios/calendar/calendar.hpp"
#include "artifacts/ios/configuration_profiles/configuration_profiles.hpp"
#include "artifacts/ios/datausage/datausage.hpp"
#include "artifacts/ios/global_preferences/global_preferences.hpp"
#include "artifacts/ios/locationd_clients/locationd_clients.hpp"
#include "artifacts/ios/manifest/manifest.hpp"
#include "artifacts/ios/os_analytics_ad_daily/os_analytics_ad_daily.hpp"
#include "artifacts/ios/profile_events/profile_events.hpp"
#include "artifacts/ios/safari_browser_state/safari_browser_state.hpp"
#include "artifacts/ios/safari_history/safari_history.hpp"
#include "artifacts/ios/sms/sms.hpp"
#include "artifacts/ios/sms_attachments/sms_attachments.hpp"
#include "artifacts/ios/tcc/tcc.hpp"

// Each module's header declares `std::unique_ptr<scan::Module> make_<slug>_module();`.
// Register it below, one line, keeping families together:
//   #include "artifacts/ios/sms/sms.hpp"
//   ...
//   &artifacts::ios::make_sms_module,

namespace spyglass::scan {

const std::vector<ModuleFactory>& builtin_module_factories() {
  static const std::vector<ModuleFactory> kFactories = {
      // iOS: backup-only modules first, then those shared with filesystem dumps (MVT's order).
      &artifacts::ios::make_backup_info_module,
      &artifacts::ios::make_configuration_profiles_module,
      &artifacts::ios::make_manifest_module,
      &artifacts::ios::make_profile_events_module,
      &artifacts::ios::make_sms_module,
      &artifacts::ios::make_sms_attachments_module,
      &artifacts::ios::make_locationd_clients_module,
      &artifacts::ios::make_os_analytics_ad_daily_module,
      &artifacts::ios::make_datausage_module,
      &artifacts::ios::make_safari_browser_state_module,
      &artifacts::ios::make_safari_history_module,
      &artifacts::ios::make_tcc_module,
      &artifacts::ios::make_calendar_module,
      &artifacts::ios::make_global_preferences_module,
  };
  return kFactories;
}

std::vector<std::unique_ptr<Module>> make_builtin_modules(std::optional<Family> family) {
  std::vector<std::unique_ptr<Module>> out;
  for (const ModuleFactory factory : builtin_module_factories()) {
    std::unique_ptr<Module> module = factory();
    if (!family || module->spec().family == *family) out.push_back(std::move(module));
  }
  return out;
}

}  // namespace spyglass::scan
