#include "support/ios_fixtures_calls.hpp"

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

std::string call_history_db(const std::vector<CallRow>& calls) {
  SqlFixture db;
  db.exec(
      "CREATE TABLE ZCALLRECORD ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
      "ZANSWERED INTEGER, ZCALL_CATEGORY INTEGER, ZCALLTYPE INTEGER, ZDISCONNECTED_CAUSE "
      "INTEGER, ZFACE_TIME_DATA BLOB, ZHANDLE_TYPE INTEGER, ZNUMBER_AVAILABILITY INTEGER, "
      "ZORIGINATED INTEGER, ZREAD INTEGER, ZJUNKCONFIDENCE INTEGER, "
      "ZJUNKIDENTIFICATIONCATEGORY VARCHAR, ZVERIFICATIONSTATUS INTEGER, ZWASEMERGENCYCALL "
      "INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS VARCHAR, ZDEVICE_ID VARCHAR, "
      "ZISO_COUNTRY_CODE VARCHAR, ZLOCATION VARCHAR, ZNAME VARCHAR, ZSERVICE_PROVIDER VARCHAR, "
      "ZUNIQUE_ID VARCHAR, ZLOCALPARTICIPANTUUID BLOB, ZOUTGOINGLOCALPARTICIPANTUUID BLOB, "
      "ZPARTICIPANTGROUPUUID BLOB );"
      "CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, "
      "Z_MAX INTEGER);"
      "CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST "
      "BLOB);"
      "CREATE INDEX ZCALLRECORD_ZDATE_INDEX ON ZCALLRECORD (ZDATE);");
  for (const CallRow& c : calls) {
    const std::string address_expr = c.address_as_blob ? "CAST(? AS BLOB)" : "?";
    db.run(
        "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALL_CATEGORY, ZCALLTYPE, "
        "ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZADDRESS, ZLOCATION, ZNAME, ZSERVICE_PROVIDER, "
        "ZUNIQUE_ID, ZISO_COUNTRY_CODE) VALUES (?, 2, 1, ?, 1, ?, ?, 1, ?, ?, " +
            address_expr + ", ?, ?, ?, ?, 'ch')",
        {c.pk, sql_opt(c.answered), c.call_type, sql_opt(c.originated), sql_opt(c.date), c.duration,
         sql_opt(c.address), sql_opt(c.location), sql_opt(c.name), sql_opt(c.service_provider),
         "8C1F0E2A-0000-4000-8000-" + std::string(12 - std::to_string(c.pk).size(), '0') +
             std::to_string(c.pk)});
  }
  db.run("INSERT INTO Z_PRIMARYKEY VALUES (2, 'CallRecord', 0, ?)",
         {static_cast<std::int64_t>(calls.size())});
  return db.bytes();
}

}  // namespace spyglass::testing
