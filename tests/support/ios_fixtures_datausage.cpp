#include "support/ios_fixtures_datausage.hpp"

#include <algorithm>

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

std::string datausage_db(const DataUsageFixture& fixture) {
  SqlFixture db;
  // Core Data bookkeeping tables, as every NSPersistentStore SQLite file has them.
  db.exec(
      "CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, "
      "Z_MAX INTEGER);"
      "CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), "
      "Z_PLIST BLOB);"
      "CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);");
  db.exec(
      "CREATE TABLE ZPROCESS ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
      "ZFIRSTTIMESTAMP TIMESTAMP, ZTIMESTAMP TIMESTAMP, ZBUNDLENAME VARCHAR, ZPROCNAME VARCHAR );");
  if (fixture.schema == DataUsageSchema::kWithWifi) {
    db.exec(
        "CREATE TABLE ZLIVEUSAGE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
        "ZKIND INTEGER, ZMETADATA INTEGER, ZTAG INTEGER, ZHASPROCESS INTEGER, "
        "ZBILLCYCLEEND TIMESTAMP, ZTIMESTAMP TIMESTAMP, ZWIFIIN FLOAT, ZWIFIOUT FLOAT, "
        "ZWWANIN FLOAT, ZWWANOUT FLOAT );");
  } else {
    db.exec(
        "CREATE TABLE ZLIVEUSAGE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
        "ZKIND INTEGER, ZMETADATA INTEGER, ZTAG INTEGER, ZHASPROCESS INTEGER, "
        "ZBILLCYCLEEND TIMESTAMP, ZTIMESTAMP TIMESTAMP, ZWWANIN FLOAT, ZWWANOUT FLOAT );");
  }
  db.exec("CREATE INDEX ZLIVEUSAGE_ZHASPROCESS_INDEX ON ZLIVEUSAGE (ZHASPROCESS);");

  // Entity numbers follow Core Data's alphabetical assignment of this store's two entities.
  constexpr std::int64_t kLiveUsageEnt = 1;
  constexpr std::int64_t kProcessEnt = 2;
  std::int64_t max_live = 0;
  std::int64_t max_process = 0;
  for (const auto& p : fixture.processes) {
    max_process = std::max(max_process, p.pk);
    db.run(
        "INSERT INTO ZPROCESS (Z_PK, Z_ENT, Z_OPT, ZFIRSTTIMESTAMP, ZTIMESTAMP, ZBUNDLENAME, "
        "ZPROCNAME) VALUES (?, ?, 1, ?, ?, ?, ?)",
        {p.pk, kProcessEnt, sql_opt(p.first_timestamp), sql_opt(p.timestamp),
         sql_opt(p.bundle_name), sql_opt(p.proc_name)});
  }
  for (const auto& l : fixture.live) {
    max_live = std::max(max_live, l.pk);
    if (fixture.schema == DataUsageSchema::kWithWifi) {
      db.run(
          "INSERT INTO ZLIVEUSAGE (Z_PK, Z_ENT, Z_OPT, ZKIND, ZMETADATA, ZTAG, ZHASPROCESS, "
          "ZBILLCYCLEEND, ZTIMESTAMP, ZWIFIIN, ZWIFIOUT, ZWWANIN, ZWWANOUT) "
          "VALUES (?, ?, 3, 0, 0, 0, ?, NULL, ?, ?, ?, ?, ?)",
          {l.pk, kLiveUsageEnt, sql_opt(l.has_process), sql_opt(l.timestamp), l.wifi_in,
           l.wifi_out, l.wwan_in, l.wwan_out});
    } else {
      db.run(
          "INSERT INTO ZLIVEUSAGE (Z_PK, Z_ENT, Z_OPT, ZKIND, ZMETADATA, ZTAG, ZHASPROCESS, "
          "ZBILLCYCLEEND, ZTIMESTAMP, ZWWANIN, ZWWANOUT) VALUES (?, ?, 3, 0, 0, 0, ?, NULL, ?, ?, ?)",
          {l.pk, kLiveUsageEnt, sql_opt(l.has_process), sql_opt(l.timestamp), l.wwan_in,
           l.wwan_out});
    }
  }
  db.run("INSERT INTO Z_PRIMARYKEY VALUES (?, 'LiveUsage', 0, ?)", {kLiveUsageEnt, max_live});
  db.run("INSERT INTO Z_PRIMARYKEY VALUES (?, 'Process', 0, ?)", {kProcessEnt, fixture.process_z_max.value_or(max_process)});
  return db.bytes();
}

}  // namespace spyglass::testing
