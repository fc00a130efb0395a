#include "support/ios_fixtures_shortcuts.hpp"

#include <cstdlib>
#include <iostream>

#include "formats/plist/writer.hpp"
#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

namespace pl = formats::plist;

std::string shortcut_action_data(const std::vector<ShortcutAction>& actions, bool xml) {
  pl::Array list;
  for (const ShortcutAction& a : actions) {
    pl::Dict d;
    d.set("WFWorkflowActionIdentifier", a.identifier);
    d.set("WFWorkflowActionParameters", a.parameters);
    list.emplace_back(std::move(d));
  }
  const pl::Value root(std::move(list));
  auto bytes = xml ? pl::write_xml(root) : pl::write_binary(root);
  if (!bytes) {
    std::cerr << "shortcut_action_data: " << bytes.error().message << "\n";
    std::abort();
  }
  return *bytes;
}

std::string shortcuts_db(const std::vector<ShortcutRow>& rows) {
  SqlFixture db;
  db.exec(
      "CREATE TABLE ZSHORTCUT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
      "ZACTIONCOUNT INTEGER, ZHASSHORTCUTINPUTVARIABLES INTEGER, ZHIDDENFROMLIBRARYANDSYNC "
      "INTEGER, ZTOMBSTONED INTEGER, ZACTIONS INTEGER, ZICON INTEGER, ZCREATIONDATE TIMESTAMP, "
      "ZMODIFICATIONDATE TIMESTAMP, ZLASTSYNCEDHASH INTEGER, ZACTIONSDESCRIPTION VARCHAR, "
      "ZASSOCIATEDAPPBUNDLEIDENTIFIER VARCHAR, ZNAME VARCHAR, ZWORKFLOWID VARCHAR, "
      "ZWORKFLOWSUBTITLE VARCHAR, ZINPUTCLASSESDATA BLOB, ZOUTPUTCLASSESDATA BLOB, "
      "ZIMPORTQUESTIONSDATA BLOB, ZWORKFLOWTYPESDATA BLOB );"
      "CREATE TABLE ZSHORTCUTACTIONS ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
      "ZSHORTCUT INTEGER, ZDATA BLOB );"
      "CREATE INDEX ZSHORTCUTACTIONS_ZSHORTCUT_INDEX ON ZSHORTCUTACTIONS (ZSHORTCUT);"
      "CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST "
      "BLOB);");
  for (const ShortcutRow& r : rows) {
    db.run(
        "INSERT INTO ZSHORTCUT (Z_PK, Z_ENT, Z_OPT, ZACTIONCOUNT, ZACTIONS, ZCREATIONDATE, "
        "ZMODIFICATIONDATE, ZACTIONSDESCRIPTION, ZNAME, ZWORKFLOWID) VALUES (?, 9, 3, 1, ?, ?, "
        "?, ?, ?, ?)",
        {r.pk, r.action_data ? SqlValue(r.pk) : SqlValue(nullptr), sql_opt(r.created),
         sql_opt(r.modified), sql_opt(r.description), sql_opt(r.name),
         "0E5A0F3C-1111-4222-8333-" + std::string(12 - std::to_string(r.pk).size(), '0') +
             std::to_string(r.pk)});
    if (r.action_data) {
      db.run(
          "INSERT INTO ZSHORTCUTACTIONS (Z_PK, Z_ENT, Z_OPT, ZSHORTCUT, ZDATA) VALUES (?, 10, 1, "
          "?, CAST(? AS BLOB))",
          {r.pk, r.pk, *r.action_data});
    }
  }
  return db.bytes();
}

}  // namespace spyglass::testing
