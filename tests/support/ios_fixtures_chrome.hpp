#pragma once
// Chrome for iOS databases as Chromium writes them: History (urls, visits; times in
// microseconds since 1601-01-01 UTC) and Favicons (icon_mapping, favicons, favicon_bitmaps).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

// 2021-07-14 08:00:00 UTC in Chrome time (µs since 1601-01-01).
inline constexpr std::int64_t kChromeT0 = (1626249600LL + 11644473600LL) * 1000000LL;

enum class ChromeHistorySchema {
  kCurrent,  // History version 6x (2024): visits with opener_visit, originator_*, app_id...
  kLegacy,   // Chrome 2015: visits(id, url, visit_time, from_visit, transition, segment_id,
             // visit_duration, ...); no external_referrer_url / opener columns
};

struct ChromeUrl {
  std::int64_t id = 0;
  std::string url;
  std::string title;
};

struct ChromeVisit {
  std::int64_t id = 0;
  std::int64_t url = 0;         // urls.id
  std::int64_t visit_time = 0;  // Chrome time
  std::int64_t from_visit = 0;  // 0: none
};

std::string chrome_history_db(const std::vector<ChromeUrl>& urls,
                              const std::vector<ChromeVisit>& visits,
                              ChromeHistorySchema schema = ChromeHistorySchema::kCurrent);

enum class ChromeFaviconsSchema {
  kV8,  // 2015 onwards: favicon_bitmaps.last_requested
  kV7,  // 2013: no last_requested
};

struct ChromeIcon {
  std::int64_t id = 0;
  std::string url;
  std::int64_t icon_type = 1;
};

struct ChromeIconMapping {
  std::int64_t id = 0;
  std::string page_url;
  std::int64_t icon_id = 0;
};

struct ChromeBitmap {
  std::int64_t id = 0;
  std::int64_t icon_id = 0;
  std::int64_t last_updated = 0;    // Chrome time; 0 for on-demand bitmaps
  std::int64_t last_requested = 0;  // Chrome time; ignored for kV7
};

std::string chrome_favicons_db(const std::vector<ChromeIcon>& icons,
                               const std::vector<ChromeIconMapping>& mappings,
                               const std::vector<ChromeBitmap>& bitmaps,
                               ChromeFaviconsSchema schema = ChromeFaviconsSchema::kV8);

}  // namespace spyglass::testing
