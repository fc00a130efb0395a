#pragma once
// Firefox for iOS browser.db as its BrowserSchema creates it: history, visits (date in
// microseconds since the Unix epoch), favicons (date in seconds), favicon_sites and, from
// schema v41, favicon_site_urls.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

// 2021-07-14 08:00:00 UTC.
inline constexpr std::int64_t kFirefoxT0Seconds = 1626249600LL;

enum class FirefoxSchema {
  kV39,  // favicons ⋈ favicon_sites ⋈ history; visits.is_local (since v6)
  kV41,  // adds favicon_site_urls(site_url, faviconID)
  kV5,   // 2015: visits without is_local
};

struct FirefoxSite {
  std::int64_t id = 0;
  std::string url;
  std::string title;
};

struct FirefoxVisit {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  double date = 0;  // microseconds since the Unix epoch
  std::int64_t type = 1;
  std::int64_t is_local = 1;
};

struct FirefoxFavicon {
  std::int64_t id = 0;
  std::string url;
  std::int64_t width = 32;
  std::int64_t height = 32;
  std::int64_t type = 1;
  double date = 0;  // seconds since the Unix epoch
};

struct FirefoxFaviconSite {
  std::int64_t site_id = 0;
  std::int64_t favicon_id = 0;
};

struct FirefoxFaviconSiteUrl {  // kV41 only
  std::string site_url;
  std::int64_t favicon_id = 0;
};

struct FirefoxBrowserDb {
  std::vector<FirefoxSite> history;
  std::vector<FirefoxVisit> visits;
  std::vector<FirefoxFavicon> favicons;
  std::vector<FirefoxFaviconSite> favicon_sites;
  std::vector<FirefoxFaviconSiteUrl> favicon_site_urls;
};

std::string firefox_browser_db(const FirefoxBrowserDb& content,
                               FirefoxSchema schema = FirefoxSchema::kV39);

}  // namespace spyglass::testing
