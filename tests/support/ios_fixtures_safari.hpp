#pragma once
// Safari's databases as MobileSafari writes them (iOS 14-17 schemas): History.db
// (history_items, history_visits; visit_time in Mac absolute seconds) and BrowserState.db
// (tabs, tab_sessions; session_data = 4-byte header + binary plist).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

struct SafariHistoryItem {
  std::int64_t id = 0;
  std::string url;
  std::int64_t visit_count = 1;
};

struct SafariHistoryVisit {
  std::int64_t id = 0;
  std::int64_t history_item = 0;
  double visit_time = 0;  // Mac absolute seconds
  std::optional<std::string> title;
  std::optional<std::int64_t> redirect_source;
  std::optional<std::int64_t> redirect_destination;
};

std::string safari_history_db(const std::vector<SafariHistoryItem>& items,
                              const std::vector<SafariHistoryVisit>& visits);

struct SafariSessionEntry {
  std::string url;
  std::optional<std::string> original_url;
  std::optional<std::string> title;
  std::optional<std::string> data;  // SessionHistoryEntryData bytes
};

struct SafariTab {
  std::int64_t id = 0;
  std::string uuid;
  std::optional<std::string> title;
  std::optional<std::string> url;
  std::optional<std::string> user_visible_url;
  double last_viewed_time = 0;  // Mac absolute seconds
  // The session blob as stored; built from `entries` by safari_session_data() when empty.
  std::optional<std::string> session_data;
  std::vector<SafariSessionEntry> entries;
};

// 4 header bytes (as Safari writes: a version word) then a binary plist
// {SessionHistory: {SessionHistoryCurrentIndex, SessionHistoryEntries: [...]}}.
std::string safari_session_data(const std::vector<SafariSessionEntry>& entries);

std::string safari_browser_state_db(const std::vector<SafariTab>& tabs);

}  // namespace spyglass::testing
