#pragma once
// WebKit's Intelligent Tracking Prevention stores, as WebKit writes them:
//   observations.db                           ResourceLoadStatisticsDatabaseStore's SQLite
//                                             database (ObservedDomains and friends; times are
//                                             Unix seconds, REAL; -1 or 0 means "never")
//   full_browsing_session_resourceLog.plist   the older ResourceLoadStatisticsMemoryStore
//                                             snapshot: {version, browsingStatistics: [...]}
#include <cstdint>
#include <string>
#include <vector>

namespace spyglass::testing {

// The ObservedDomains column sets WebKit has shipped (ResourceLoadStatisticsDatabaseStore.cpp):
// 11 columns, then isScheduledForAllButCookieDataRemoval, then mostRecentWebPushInteractionTime.
enum class ObservationsSchema { kInitial, kScheduledRemoval, kWebPush };

struct ObservedDomain {
  std::int64_t domain_id = 0;
  std::string registrable_domain;
  double last_seen = 0;  // Unix seconds
  bool had_user_interaction = false;
  double most_recent_user_interaction = -1;
  double most_recent_web_push_interaction = -1;
};

std::string webkit_observations_db(const std::vector<ObservedDomain>& rows,
                                   ObservationsSchema schema = ObservationsSchema::kWebPush);

struct SessionResourceStatistic {
  std::string origin;
  double last_seen = 0;  // Unix seconds
  bool had_user_interaction = false;
  double most_recent_user_interaction = 0;
  std::vector<std::string> redirects_from;            // topFrameUniqueRedirectsFrom
  std::vector<std::string> redirects_to;              // topFrameUniqueRedirectsTo
  std::vector<std::string> subframe_under;            // subframeUnderTopFrameOrigins
  std::vector<std::string> subresource_under;         // subresourceUnderTopFrameOrigins
  std::vector<std::string> subresource_redirects_to;  // subresourceUniqueRedirectsTo
};

// model_version < 15: PrevalentResourceOrigin and counted sets [{origin, count}];
// >= 15: PrevalentResourceDomain, *Domains sets of [{domain}] (WebKit's ResourceLoadStatistics
// encode/decode). `xml`: an XML plist instead of a binary one.
std::string webkit_session_resource_log(const std::vector<SessionResourceStatistic>& stats,
                                        unsigned model_version = 14, bool xml = false);

}  // namespace spyglass::testing
