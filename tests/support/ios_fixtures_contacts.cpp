#include "support/ios_fixtures_contacts.hpp"

#include <map>

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

std::string address_book_db(const std::vector<ContactPerson>& people) {
  SqlFixture db;
  db.exec(
      "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, "
      "Middle TEXT, FirstPhonetic TEXT, MiddlePhonetic TEXT, LastPhonetic TEXT, Organization "
      "TEXT, Department TEXT, Note TEXT, Kind INTEGER, Birthday TEXT, JobTitle TEXT, Nickname "
      "TEXT, Prefix TEXT, Suffix TEXT, FirstSort TEXT, LastSort TEXT, CreationDate INTEGER, "
      "ModificationDate INTEGER, CompositeNameFallback TEXT, ExternalIdentifier TEXT, "
      "ExternalModificationTag TEXT, ExternalUUID TEXT, StoreID INTEGER, DisplayName TEXT, "
      "ExternalRepresentation BLOB, FirstSortSection TEXT, LastSortSection TEXT, "
      "FirstSortLanguageIndex INTEGER DEFAULT 2147483647, LastSortLanguageIndex INTEGER "
      "DEFAULT 2147483647, PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName "
      "INTEGER DEFAULT 1, guid TEXT, PhonemeData TEXT, AlternateBirthday TEXT, MapsData TEXT, "
      "FirstPronunciation TEXT, MiddlePronunciation TEXT, LastPronunciation TEXT, "
      "OrganizationPhonetic TEXT, OrganizationPronunciation TEXT, PreviousFamilyName TEXT, "
      "PreferredLikenessSource TEXT, PreferredPersonaIdentifier TEXT);"
      "CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property "
      "INTEGER, identifier INTEGER, label INTEGER, value TEXT, guid TEXT);"
      "CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));"
      "CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, "
      "UNIQUE(parent_id, key));"
      "CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));"
      "CREATE INDEX ABMultiValueRecordIDIndex ON ABMultiValue(record_id);");
  std::map<std::string, std::int64_t> label_ids;
  std::int64_t uid = 0;
  for (const ContactPerson& p : people) {
    db.run(
        "INSERT INTO ABPerson (ROWID, First, Last, Middle, Organization, Kind, CreationDate, "
        "ModificationDate, StoreID) VALUES (?, ?, ?, ?, ?, 0, 600000000, 600000100, 0)",
        {p.id, sql_opt(p.first), sql_opt(p.last), sql_opt(p.middle), sql_opt(p.organization)});
    std::int64_t identifier = 0;
    for (const ContactValue& v : p.values) {
      SqlValue label = nullptr;
      if (v.label) {
        auto it = label_ids.find(*v.label);
        if (it == label_ids.end()) {
          db.run("INSERT INTO ABMultiValueLabel (value) VALUES (?)", {*v.label});
          it = label_ids.emplace(*v.label, static_cast<std::int64_t>(label_ids.size()) + 1).first;
        }
        label = it->second;
      }
      db.run(
          "INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {++uid, p.id, v.property, identifier++, label, sql_opt(v.value)});
    }
  }
  return db.bytes();
}

}  // namespace spyglass::testing
