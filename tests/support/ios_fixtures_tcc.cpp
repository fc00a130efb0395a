#include "support/ios_fixtures_tcc.hpp"

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {
namespace {

constexpr const char* kPolicies =
    "CREATE TABLE admin (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);"
    "CREATE TABLE policies (    id        INTEGER    NOT NULL PRIMARY KEY,     bundle_id    "
    "TEXT    NOT NULL,     uuid        TEXT    NOT NULL,     display        TEXT    NOT NULL,  "
    "   UNIQUE (bundle_id, uuid));"
    "CREATE TABLE active_policy (    client        TEXT    NOT NULL,     client_type    "
    "INTEGER    NOT NULL,     policy_id    INTEGER NOT NULL,     PRIMARY KEY (client, "
    "client_type),     FOREIGN KEY (policy_id) REFERENCES policies(id) ON DELETE CASCADE ON "
    "UPDATE CASCADE);"
    "CREATE TABLE access_overrides (    service        TEXT    NOT NULL PRIMARY KEY);";

}  // namespace

std::string tcc_db(TccSchema schema, const std::vector<TccAccess>& rows) {
  SqlFixture db;
  switch (schema) {
    case TccSchema::kNoPolicy:
      db.exec("CREATE TABLE admin (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);"
              "CREATE TABLE access (service TEXT NOT NULL, client TEXT NOT NULL, client_type "
              "INTEGER NOT NULL, allowed INTEGER NOT NULL, prompt_count INTEGER NOT NULL, csreq "
              "BLOB, CONSTRAINT key PRIMARY KEY (service, client, client_type));");
      break;
    case TccSchema::kPolicy:
      db.exec(kPolicies);
      db.exec("CREATE TABLE access (service\tTEXT NOT NULL, client TEXT NOT NULL, client_type "
              "INTEGER NOT NULL, allowed INTEGER NOT NULL, prompt_count INTEGER NOT NULL, csreq "
              "BLOB, policy_id INTEGER, PRIMARY KEY (service, client, client_type), FOREIGN KEY "
              "(policy_id) REFERENCES policies(id) ON DELETE CASCADE ON UPDATE CASCADE);");
      break;
    case TccSchema::kIos12:
      db.exec(kPolicies);
      db.exec("CREATE TABLE access (    service        TEXT        NOT NULL,     client         "
              "TEXT        NOT NULL,     client_type    INTEGER     NOT NULL,     allowed        "
              "INTEGER     NOT NULL,     prompt_count   INTEGER     NOT NULL,     csreq          "
              "BLOB,     policy_id      INTEGER,     indirect_object_identifier_type    INTEGER, "
              "    indirect_object_identifier         TEXT,     indirect_object_code_identity   "
              "   BLOB,     flags          INTEGER,     last_modified  INTEGER     NOT NULL "
              "DEFAULT (CAST(strftime('%s','now') AS INTEGER)),     PRIMARY KEY (service, "
              "client, client_type, indirect_object_identifier),    FOREIGN KEY (policy_id) "
              "REFERENCES policies(id) ON DELETE CASCADE ON UPDATE CASCADE);");
      break;
    case TccSchema::kIos14:
      db.exec(kPolicies);
      db.exec("CREATE TABLE access (    service        TEXT        NOT NULL,     client         "
              "TEXT        NOT NULL,     client_type    INTEGER     NOT NULL,     auth_value     "
              "INTEGER     NOT NULL,     auth_reason    INTEGER     NOT NULL,     auth_version   "
              "INTEGER     NOT NULL,     csreq          BLOB,     policy_id      INTEGER,     "
              "indirect_object_identifier_type    INTEGER,     indirect_object_identifier       "
              "  TEXT NOT NULL DEFAULT 'UNUSED',     indirect_object_code_identity      BLOB,    "
              " flags          INTEGER,     last_modified  INTEGER     NOT NULL DEFAULT "
              "(CAST(strftime('%s','now') AS INTEGER)),     PRIMARY KEY (service, client, "
              "client_type, indirect_object_identifier),    FOREIGN KEY (policy_id) REFERENCES "
              "policies(id) ON DELETE CASCADE ON UPDATE CASCADE);");
      break;
    case TccSchema::kIos17:
      db.exec(kPolicies);
      db.exec("CREATE TABLE access (    service        TEXT        NOT NULL,     client         "
              "TEXT        NOT NULL,     client_type    INTEGER     NOT NULL,     auth_value     "
              "INTEGER     NOT NULL,     auth_reason    INTEGER     NOT NULL,     auth_version   "
              "INTEGER     NOT NULL,     csreq          BLOB,     policy_id      INTEGER,     "
              "indirect_object_identifier_type    INTEGER,     indirect_object_identifier       "
              "  TEXT NOT NULL DEFAULT 'UNUSED',     indirect_object_code_identity      BLOB,    "
              " flags          INTEGER,     last_modified  INTEGER     NOT NULL DEFAULT "
              "(CAST(strftime('%s','now') AS INTEGER)),     pid            INTEGER,     "
              "pid_version    INTEGER,     boot_uuid      TEXT NOT NULL DEFAULT 'UNUSED',     "
              "last_reminded  INTEGER     NOT NULL DEFAULT (CAST(strftime('%s','now') AS "
              "INTEGER)),     PRIMARY KEY (service, client, client_type, "
              "indirect_object_identifier),    FOREIGN KEY (policy_id) REFERENCES policies(id) ON "
              "DELETE CASCADE ON UPDATE CASCADE);");
      break;
  }
  for (const TccAccess& r : rows) {
    switch (schema) {
      case TccSchema::kNoPolicy:
        db.run("INSERT INTO access VALUES (?, ?, ?, ?, ?, NULL)",
               {r.service, r.client, r.client_type, r.value, r.reason_or_prompts});
        break;
      case TccSchema::kPolicy:
        db.run("INSERT INTO access VALUES (?, ?, ?, ?, ?, NULL, NULL)",
               {r.service, r.client, r.client_type, r.value, r.reason_or_prompts});
        break;
      case TccSchema::kIos12:
        db.run("INSERT INTO access VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, 'UNUSED', NULL, 0, ?)",
               {r.service, r.client, r.client_type, r.value, r.reason_or_prompts,
                r.last_modified});
        break;
      case TccSchema::kIos14:
        db.run("INSERT INTO access VALUES (?, ?, ?, ?, ?, 1, NULL, NULL, 0, 'UNUSED', NULL, 0, ?)",
               {r.service, r.client, r.client_type, r.value, r.reason_or_prompts,
                r.last_modified});
        break;
      case TccSchema::kIos17:
        db.run("INSERT INTO access VALUES (?, ?, ?, ?, ?, 1, NULL, NULL, 0, 'UNUSED', NULL, 0, ?, "
               "NULL, NULL, 'UNUSED', ?)",
               {r.service, r.client, r.client_type, r.value, r.reason_or_prompts,
                r.last_modified, r.last_modified});
        break;
    }
  }
  return db.bytes();
}

}  // namespace spyglass::testing
