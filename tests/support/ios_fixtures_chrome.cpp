#include "support/ios_fixtures_chrome.hpp"

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

std::string chrome_history_db(const std::vector<ChromeUrl>& urls,
                              const std::vector<ChromeVisit>& visits, ChromeHistorySchema schema) {
  SqlFixture db;
  db.exec(
      "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);"
      "CREATE TABLE visit_source(id INTEGER PRIMARY KEY,source INTEGER NOT NULL);");
  if (schema == ChromeHistorySchema::kCurrent) {
    db.exec(
        "INSERT INTO meta VALUES('version','68'),('last_compatible_version','16');"
        "CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT,url LONGVARCHAR,title "
        "LONGVARCHAR,visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT "
        "NULL,last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL);"
        "CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT,url INTEGER NOT NULL,"
        "visit_time INTEGER NOT NULL,from_visit INTEGER,external_referrer_url TEXT,transition "
        "INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,visit_duration INTEGER DEFAULT 0 NOT "
        "NULL,incremented_omnibox_typed_score BOOLEAN DEFAULT FALSE NOT NULL,opener_visit "
        "INTEGER,originator_cache_guid TEXT,originator_visit_id INTEGER,originator_from_visit "
        "INTEGER,originator_opener_visit INTEGER,is_known_to_sync BOOLEAN DEFAULT FALSE NOT "
        "NULL,consider_for_ntp_most_visited BOOLEAN DEFAULT FALSE NOT NULL,visited_link_id "
        "INTEGER DEFAULT 0 NOT NULL,app_id TEXT);");
  } else {
    db.exec(
        "INSERT INTO meta VALUES('version','29'),('last_compatible_version','16');"
        "CREATE TABLE urls(id INTEGER PRIMARY KEY,url LONGVARCHAR,title LONGVARCHAR,"
        "visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT NULL,"
        "last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL,favicon_id INTEGER "
        "DEFAULT 0 NOT NULL);"
        "CREATE TABLE visits(id INTEGER PRIMARY KEY,url INTEGER NOT NULL,visit_time INTEGER NOT "
        "NULL,from_visit INTEGER,transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,"
        "visit_duration INTEGER DEFAULT 0 NOT NULL);");
  }
  db.exec(
      "CREATE INDEX visits_url_index ON visits (url);"
      "CREATE INDEX visits_from_index ON visits (from_visit);"
      "CREATE INDEX visits_time_index ON visits (visit_time);"
      "CREATE INDEX urls_url_index ON urls (url);");
  for (const auto& u : urls) {
    db.run("INSERT INTO urls (id, url, title, visit_count, last_visit_time) VALUES (?, ?, ?, 1, 0)",
           {u.id, u.url, u.title});
  }
  for (const auto& v : visits) {
    // PAGE_TRANSITION_LINK | CHAIN_START | CHAIN_END, as a followed link is stored.
    db.run(
        "INSERT INTO visits (id, url, visit_time, from_visit, transition) VALUES (?, ?, ?, ?, "
        "805306368)",
        {v.id, v.url, v.visit_time, v.from_visit});
  }
  return db.bytes();
}

std::string chrome_favicons_db(const std::vector<ChromeIcon>& icons,
                               const std::vector<ChromeIconMapping>& mappings,
                               const std::vector<ChromeBitmap>& bitmaps,
                               ChromeFaviconsSchema schema) {
  SqlFixture db;
  const bool v8 = schema == ChromeFaviconsSchema::kV8;
  db.exec(
      "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);"
      "CREATE TABLE icon_mapping(id INTEGER PRIMARY KEY,page_url LONGVARCHAR NOT NULL,icon_id "
      "INTEGER);"
      "CREATE TABLE favicons(id INTEGER PRIMARY KEY,url LONGVARCHAR NOT NULL,icon_type INTEGER "
      "DEFAULT 1);");
  if (v8) {
    db.exec(
        "INSERT INTO meta VALUES('version','8'),('last_compatible_version','8');"
        "CREATE TABLE favicon_bitmaps(id INTEGER PRIMARY KEY,icon_id INTEGER NOT NULL,"
        "last_updated INTEGER DEFAULT 0,image_data BLOB,width INTEGER DEFAULT 0,height INTEGER "
        "DEFAULT 0,last_requested INTEGER DEFAULT 0);");
  } else {
    db.exec(
        "INSERT INTO meta VALUES('version','7'),('last_compatible_version','7');"
        "CREATE TABLE favicon_bitmaps(id INTEGER PRIMARY KEY,icon_id INTEGER NOT NULL,"
        "last_updated INTEGER DEFAULT 0,image_data BLOB,width INTEGER DEFAULT 0,height INTEGER "
        "DEFAULT 0);");
  }
  db.exec(
      "CREATE INDEX icon_mapping_page_url_idx ON icon_mapping(page_url);"
      "CREATE INDEX icon_mapping_icon_id_idx ON icon_mapping(icon_id);"
      "CREATE INDEX favicons_url ON favicons(url);"
      "CREATE INDEX favicon_bitmaps_icon_id ON favicon_bitmaps(icon_id);");
  for (const auto& i : icons) {
    db.run("INSERT INTO favicons (id, url, icon_type) VALUES (?, ?, ?)",
           {i.id, i.url, i.icon_type});
  }
  for (const auto& m : mappings) {
    db.run("INSERT INTO icon_mapping (id, page_url, icon_id) VALUES (?, ?, ?)",
           {m.id, m.page_url, m.icon_id});
  }
  // A 1x1 PNG signature is enough: the module never decodes the bitmap.
  const std::string png("\x89PNG\r\n\x1a\n", 8);
  for (const auto& b : bitmaps) {
    if (v8) {
      db.run(
          "INSERT INTO favicon_bitmaps (id, icon_id, last_updated, image_data, width, height, "
          "last_requested) VALUES (?, ?, ?, CAST(? AS BLOB), 16, 16, ?)",
          {b.id, b.icon_id, b.last_updated, png, b.last_requested});
    } else {
      db.run(
          "INSERT INTO favicon_bitmaps (id, icon_id, last_updated, image_data, width, height) "
          "VALUES (?, ?, ?, CAST(? AS BLOB), 16, 16)",
          {b.id, b.icon_id, b.last_updated, png});
    }
  }
  return db.bytes();
}

}  // namespace spyglass::testing
