#include "support/ios_fixtures_webkit.hpp"

#include <cstdio>
#include <cstdlib>

#include "formats/plist/value.hpp"
#include "formats/plist/writer.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {

namespace plist = formats::plist;

std::string webkit_observations_db(const std::vector<ObservedDomain>& rows,
                                   ObservationsSchema schema) {
  // The CREATE statements of ResourceLoadStatisticsDatabaseStore, column for column.
  std::string create =
      "CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT NOT "
      "NULL UNIQUE ON CONFLICT FAIL, lastSeen REAL NOT NULL, hadUserInteraction INTEGER NOT "
      "NULL, mostRecentUserInteractionTime REAL NOT NULL, grandfathered INTEGER NOT NULL, "
      "isPrevalent INTEGER NOT NULL, isVeryPrevalent INTEGER NOT NULL, dataRecordsRemoved "
      "INTEGER NOT NULL,timesAccessedAsFirstPartyDueToUserInteraction INTEGER NOT NULL, "
      "timesAccessedAsFirstPartyDueToStorageAccessAPI INTEGER NOT NULL";
  if (schema != ObservationsSchema::kInitial) {
    create += ",isScheduledForAllButCookieDataRemoval INTEGER NOT NULL";
  }
  if (schema == ObservationsSchema::kWebPush) {
    create += ", mostRecentWebPushInteractionTime REAL NOT NULL";
  }
  create += ");";
  SqlFixture db;
  db.exec(create);
  db.exec(
      "CREATE TABLE TopLevelDomains (topLevelDomainID INTEGER PRIMARY KEY, CONSTRAINT "
      "fkDomainID FOREIGN KEY(topLevelDomainID) REFERENCES ObservedDomains(domainID) ON DELETE "
      "CASCADE);"
      "CREATE TABLE TopFrameUniqueRedirectsTo (sourceDomainID INTEGER NOT NULL, toDomainID "
      "INTEGER NOT NULL, FOREIGN KEY(sourceDomainID) REFERENCES TopLevelDomains(topLevelDomainID) "
      "ON DELETE CASCADE, FOREIGN KEY(toDomainID) REFERENCES TopLevelDomains(topLevelDomainID) ON "
      "DELETE CASCADE);");
  for (const ObservedDomain& r : rows) {
    std::string sql =
        "INSERT INTO ObservedDomains (domainID, registrableDomain, lastSeen, hadUserInteraction, "
        "mostRecentUserInteractionTime, grandfathered, isPrevalent, isVeryPrevalent, "
        "dataRecordsRemoved, timesAccessedAsFirstPartyDueToUserInteraction, "
        "timesAccessedAsFirstPartyDueToStorageAccessAPI";
    std::string values = "?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0";
    std::vector<SqlValue> bound = {r.domain_id, r.registrable_domain, r.last_seen,
                                   std::int64_t{r.had_user_interaction ? 1 : 0},
                                   r.most_recent_user_interaction};
    if (schema != ObservationsSchema::kInitial) {
      sql += ", isScheduledForAllButCookieDataRemoval";
      values += ", 0";
    }
    if (schema == ObservationsSchema::kWebPush) {
      sql += ", mostRecentWebPushInteractionTime";
      values += ", ?";
      bound.emplace_back(r.most_recent_web_push_interaction);
    }
    db.run(sql + ") VALUES (" + values + ")", bound);
  }
  return db.bytes();
}

namespace {

plist::Array domain_set(const std::vector<std::string>& domains, bool new_model) {
  plist::Array out;
  for (const std::string& d : domains) {
    plist::Dict e;
    if (new_model) {
      e.set("domain", d);
    } else {
      e.set("origin", d);
      e.set("count", 1);
    }
    out.emplace_back(std::move(e));
  }
  return out;
}

}  // namespace

std::string webkit_session_resource_log(const std::vector<SessionResourceStatistic>& stats,
                                        unsigned model_version, bool xml) {
  const bool new_model = model_version >= 15;
  const std::string set_suffix = new_model ? "Domains" : "Origins";
  plist::Array entries;
  for (const SessionResourceStatistic& s : stats) {
    plist::Dict e;
    e.set(new_model ? "PrevalentResourceDomain" : "PrevalentResourceOrigin", s.origin);
    e.set("lastSeen", s.last_seen);
    e.set("hadUserInteraction", s.had_user_interaction);
    e.set("mostRecentUserInteraction", s.most_recent_user_interaction);
    e.set("grandfathered", false);
    // WebKit leaves an empty set out of the plist.
    auto add = [&](const std::string& key, const std::vector<std::string>& v) {
      if (!v.empty()) e.set(key, domain_set(v, new_model));
    };
    add("topFrameUniqueRedirectsTo", s.redirects_to);
    add("topFrameUniqueRedirectsFrom", s.redirects_from);
    add("subframeUnderTopFrame" + set_suffix, s.subframe_under);
    add("subresourceUnderTopFrame" + set_suffix, s.subresource_under);
    add("subresourceUniqueRedirectsTo", s.subresource_redirects_to);
    e.set("isPrevalentResource", false);
    e.set("isVeryPrevalentResource", false);
    e.set("dataRecordsRemoved", 0);
    e.set("timesAccessedAsFirstPartyDueToUserInteraction", 0);
    e.set("timesAccessedAsFirstPartyDueToStorageAccessAPI", 0);
    entries.emplace_back(std::move(e));
  }
  plist::Dict root;
  root.set("version", static_cast<std::int64_t>(model_version));
  root.set("originsVisited", static_cast<std::int64_t>(stats.size()));
  root.set("browsingStatistics", std::move(entries));
  root.set("operatingDates", plist::Array{});
  if (!xml) return binary_plist(plist::Value(std::move(root)));
  auto bytes = plist::write_xml(plist::Value(std::move(root)));
  if (!bytes) {
    std::fprintf(stderr, "webkit_session_resource_log: %s\n", bytes.error().message.c_str());
    std::abort();
  }
  return std::move(*bytes);
}

}  // namespace spyglass::testing
