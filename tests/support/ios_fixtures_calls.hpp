#pragma once
// CallHistory.storedata as CallHistorySyncHelper writes it (Core Data store, iOS 14-17
// ZCALLRECORD columns). ZADDRESS is TEXT on recent versions and a BLOB on older ones.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

struct CallRow {
  std::int64_t pk = 0;
  std::optional<double> date;  // Mac absolute seconds
  double duration = 0;
  std::optional<std::string> address;
  bool address_as_blob = false;
  std::optional<std::string> service_provider = "com.apple.Telephony";
  std::optional<std::string> location;
  std::optional<std::int64_t> originated;  // 1 outgoing, 0 incoming
  std::optional<std::int64_t> answered;
  std::int64_t call_type = 1;  // 1 phone, 8 FaceTime video, 16 FaceTime audio
  std::optional<std::string> name;
};

std::string call_history_db(const std::vector<CallRow>& calls);

}  // namespace spyglass::testing
