#include "support/ios_fixtures_safari.hpp"

#include <cstdlib>
#include <iostream>

#include "formats/plist/value.hpp"
#include "formats/plist/writer.hpp"
#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

std::string safari_history_db(const std::vector<SafariHistoryItem>& items,
                              const std::vector<SafariHistoryVisit>& visits) {
  SqlFixture db;
  db.exec(
      "CREATE TABLE history_items (id INTEGER PRIMARY KEY AUTOINCREMENT,url TEXT NOT NULL "
      "UNIQUE,domain_expansion TEXT NULL,visit_count INTEGER NOT NULL,daily_visit_counts BLOB "
      "NOT NULL,weekly_visit_counts BLOB NULL,autocomplete_triggers BLOB NULL,"
      "should_recompute_derived_visit_counts INTEGER NOT NULL,visit_count_score INTEGER NOT "
      "NULL,status_code INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE history_visits (id INTEGER PRIMARY KEY AUTOINCREMENT,history_item INTEGER "
      "NOT NULL REFERENCES history_items(id) ON DELETE CASCADE,visit_time REAL NOT NULL,title "
      "TEXT NULL,load_successful BOOLEAN NOT NULL DEFAULT 1,http_non_get BOOLEAN NOT NULL "
      "DEFAULT 0,synthesized BOOLEAN NOT NULL DEFAULT 0,redirect_source INTEGER NULL UNIQUE "
      "REFERENCES history_visits(id) ON DELETE CASCADE,redirect_destination INTEGER NULL UNIQUE "
      "REFERENCES history_visits(id) ON DELETE CASCADE,origin INTEGER NOT NULL DEFAULT 0,"
      "generation INTEGER NOT NULL DEFAULT 0,attributes INTEGER NOT NULL DEFAULT 0,score "
      "INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX history_visits__last_visit ON history_visits (history_item, visit_time "
      "DESC, synthesized ASC);");
  for (const auto& i : items) {
    db.run(
        "INSERT INTO history_items (id, url, visit_count, daily_visit_counts, "
        "should_recompute_derived_visit_counts, visit_count_score) VALUES (?, ?, ?, CAST(? AS "
        "BLOB), 0, ?)",
        {i.id, i.url, i.visit_count, std::string("\x01\x00\x00\x00", 4), i.visit_count * 100});
  }
  for (const auto& v : visits) {
    db.run(
        "INSERT INTO history_visits (id, history_item, visit_time, title, redirect_source, "
        "redirect_destination) VALUES (?, ?, ?, ?, ?, ?)",
        {v.id, v.history_item, v.visit_time, sql_opt(v.title), sql_opt(v.redirect_source),
         sql_opt(v.redirect_destination)});
  }
  return db.bytes();
}

std::string safari_session_data(const std::vector<SafariSessionEntry>& entries) {
  namespace plist = formats::plist;
  plist::Array list;
  for (const auto& e : entries) {
    plist::Dict d;
    d.set("SessionHistoryEntryURL", e.url);
    if (e.original_url) d.set("SessionHistoryEntryOriginalURL", *e.original_url);
    if (e.title) d.set("SessionHistoryEntryTitle", *e.title);
    if (e.data) d.set("SessionHistoryEntryData", plist::Bytes(e.data->begin(), e.data->end()));
    list.emplace_back(std::move(d));
  }
  plist::Dict history;
  history.set("SessionHistoryCurrentIndex", static_cast<std::int64_t>(entries.size()) - 1);
  history.set("SessionHistoryEntries", std::move(list));
  history.set("SessionHistoryVersion", 1);
  plist::Dict root;
  root.set("IsAppTab", false);
  root.set("SessionHistory", std::move(history));
  auto bytes = plist::write_binary(plist::Value(std::move(root)));
  if (!bytes) {
    std::cerr << "safari_session_data: " << bytes.error().message << "\n";
    std::abort();
  }
  return std::string("\x00\x00\x00\x02", 4) + *bytes;
}

std::string safari_browser_state_db(const std::vector<SafariTab>& tabs) {
  SqlFixture db;
  db.exec(
      "CREATE TABLE tabs (id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT UNIQUE NOT NULL, "
      "title TEXT NOT NULL, url TEXT NOT NULL, user_visible_url TEXT NOT NULL, "
      "last_viewed_time REAL NOT NULL, opened_from_link BOOLEAN NOT NULL DEFAULT 0, "
      "order_index INTEGER NOT NULL DEFAULT 0, browser_window_id INTEGER NOT NULL DEFAULT 1, "
      "browser_window_uuid TEXT NOT NULL DEFAULT '', is_private BOOLEAN NOT NULL DEFAULT 0, "
      "private_browsing BOOLEAN NOT NULL DEFAULT 0, read_later BOOLEAN NOT NULL DEFAULT 0, "
      "showing_reader BOOLEAN NOT NULL DEFAULT 0, reader_view_top_scroll_offset INTEGER NOT "
      "NULL DEFAULT 0, displaying_standalone_image BOOLEAN NOT NULL DEFAULT 0, "
      "scene_id TEXT, last_visit_time REAL, local_attributes BLOB, profile_uuid TEXT);"
      "CREATE TABLE tab_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, tab_uuid TEXT UNIQUE "
      "NOT NULL, session_data BLOB, FOREIGN KEY(tab_uuid) REFERENCES tabs(uuid) ON DELETE "
      "CASCADE);");
  for (const auto& t : tabs) {
    db.run(
        "INSERT INTO tabs (id, uuid, title, url, user_visible_url, last_viewed_time) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {t.id, t.uuid, t.title.value_or(""), t.url.value_or(""), t.user_visible_url.value_or(""),
         t.last_viewed_time});
    const std::string session = t.session_data ? *t.session_data : safari_session_data(t.entries);
    db.run("INSERT INTO tab_sessions (tab_uuid, session_data) VALUES (?, CAST(? AS BLOB))",
           {t.uuid, session});
  }
  return db.bytes();
}

}  // namespace spyglass::testing
