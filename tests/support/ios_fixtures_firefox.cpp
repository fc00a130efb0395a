#include "support/ios_fixtures_firefox.hpp"

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

std::string firefox_browser_db(const FirefoxBrowserDb& content, FirefoxSchema schema) {
  SqlFixture db;
  const bool has_is_local = schema != FirefoxSchema::kV5;
  db.exec(
      "CREATE TABLE domains (id INTEGER PRIMARY KEY AUTOINCREMENT, domain TEXT NOT NULL UNIQUE, "
      "showOnTopSites TINYINT NOT NULL DEFAULT 1);"
      "CREATE TABLE favicons (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL UNIQUE, "
      "width INTEGER, height INTEGER, type INTEGER NOT NULL, date REAL NOT NULL);"
      "CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT NOT NULL UNIQUE, "
      "url TEXT UNIQUE, title TEXT NOT NULL, server_modified INTEGER, local_modified INTEGER, "
      "is_deleted TINYINT NOT NULL, should_upload TINYINT NOT NULL, domain_id INTEGER "
      "REFERENCES domains(id) ON DELETE CASCADE, CONSTRAINT urlOrDeleted CHECK (url IS NOT NULL "
      "OR is_deleted = 1));"
      "CREATE TABLE favicon_sites (id INTEGER PRIMARY KEY AUTOINCREMENT, siteID INTEGER NOT NULL "
      "REFERENCES history(id) ON DELETE CASCADE, faviconID INTEGER NOT NULL REFERENCES "
      "favicons(id) ON DELETE CASCADE, UNIQUE (siteID, faviconID));");
  if (has_is_local) {
    db.exec(
        "CREATE TABLE visits (id INTEGER PRIMARY KEY AUTOINCREMENT, siteID INTEGER NOT NULL "
        "REFERENCES history(id) ON DELETE CASCADE, date REAL NOT NULL, type INTEGER NOT NULL, "
        "is_local TINYINT NOT NULL, UNIQUE (siteID, date, type));"
        "CREATE INDEX idx_visits_siteID_is_local_date ON visits (siteID, is_local, date);");
  } else {
    db.exec(
        "CREATE TABLE visits (id INTEGER PRIMARY KEY AUTOINCREMENT, siteID INTEGER NOT NULL "
        "REFERENCES history(id) ON DELETE CASCADE, date REAL NOT NULL, type INTEGER NOT NULL, "
        "UNIQUE (siteID, date, type));"
        "CREATE INDEX idx_visits_siteID_date ON visits (siteID, date);");
  }
  if (schema == FirefoxSchema::kV41) {
    db.exec(
        "CREATE TABLE favicon_site_urls (id INTEGER PRIMARY KEY AUTOINCREMENT, site_url TEXT NOT "
        "NULL, faviconID INTEGER NOT NULL REFERENCES favicons(id) ON DELETE CASCADE, UNIQUE "
        "(site_url, faviconID));");
  }
  for (const auto& h : content.history) {
    db.run(
        "INSERT INTO history (id, guid, url, title, local_modified, is_deleted, should_upload) "
        "VALUES (?, ?, ?, ?, ?, 0, 1)",
        {h.id, "guid-" + std::to_string(h.id), h.url, h.title, kFirefoxT0Seconds * 1000});
  }
  for (const auto& v : content.visits) {
    if (has_is_local) {
      db.run("INSERT INTO visits (id, siteID, date, type, is_local) VALUES (?, ?, ?, ?, ?)",
             {v.id, v.site_id, v.date, v.type, v.is_local});
    } else {
      db.run("INSERT INTO visits (id, siteID, date, type) VALUES (?, ?, ?, ?)",
             {v.id, v.site_id, v.date, v.type});
    }
  }
  for (const auto& f : content.favicons) {
    db.run("INSERT INTO favicons (id, url, width, height, type, date) VALUES (?, ?, ?, ?, ?, ?)",
           {f.id, f.url, f.width, f.height, f.type, f.date});
  }
  for (const auto& s : content.favicon_sites) {
    db.run("INSERT INTO favicon_sites (siteID, faviconID) VALUES (?, ?)",
           {s.site_id, s.favicon_id});
  }
  for (const auto& s : content.favicon_site_urls) {
    db.run("INSERT INTO favicon_site_urls (site_url, faviconID) VALUES (?, ?)",
           {s.site_url, s.favicon_id});
  }
  return db.bytes();
}

}  // namespace spyglass::testing
