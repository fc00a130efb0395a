#pragma once
// DataUsage.sqlite (WirelessDomain Library/Databases/DataUsage.sqlite) as CommCenter's Core
// Data store writes it. Two generations of ZLIVEUSAGE: with the Wi-Fi columns (iOS <= 15 era,
// the schema plaso and MVT document), and without them (recent iOS, which MVT handles with a
// second query).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

enum class DataUsageSchema { kWithWifi, kWwanOnly };

struct DataUsageProcess {
  std::int64_t pk = 0;
  std::optional<double> first_timestamp;  // Mac absolute seconds
  std::optional<double> timestamp;
  std::optional<std::string> bundle_name;
  std::optional<std::string> proc_name;
};

struct DataUsageLive {
  std::int64_t pk = 0;
  std::optional<std::int64_t> has_process;  // ZPROCESS.Z_PK
  std::optional<double> timestamp;
  double wifi_in = 0;  // ignored for kWwanOnly
  double wifi_out = 0;
  double wwan_in = 0;
  double wwan_out = 0;
};

struct DataUsageFixture {
  DataUsageSchema schema = DataUsageSchema::kWithWifi;
  std::vector<DataUsageProcess> processes;
  std::vector<DataUsageLive> live;
  // Z_PRIMARYKEY.Z_MAX for Process; default: the highest Z_PK (no trailing deletion).
  std::optional<std::int64_t> process_z_max;
};

// The database file's bytes.
std::string datausage_db(const DataUsageFixture& fixture);

}  // namespace spyglass::testing
