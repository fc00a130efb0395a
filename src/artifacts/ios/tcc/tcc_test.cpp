#include "artifacts/ios/tcc/tcc.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/ios_fixtures_tcc.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::CommTruncation;
using matching::ObservableKind;
using testing::TccAccess;
using testing::TccSchema;
using testing::TempDir;

constexpr std::int64_t kT = 1626249600;  // 2021-07-14 08:00:00 UTC

struct Parsed {
  Result<void> result;
  testing::CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  TempDir scratch;
  Parsed out;
  IosFile f;
  f.domain = "HomeDomain";
  f.relative_path = "Library/TCC/TCC.db";
  f.evidence_path = "64/64d0019cb3d46bfc8cce545a8ba54b93e7ea9347";
  auto db = formats::sqlite::Database::open_bytes(bytes, scratch.path());
  if (!db) {
    out.result = tl::unexpected(db.error());
    return out;
  }
  out.result = read_tcc(*db, f, out.sink);
  return out;
}

const std::vector<TccAccess> kRows = {
    {"kTCCServiceMicrophone", "com.example.chat", 0, 2, 2, kT},
    {"kTCCServiceCamera", "/private/var/db/com.apple.xpc.roleaccountd.staging/bh", 1, 0, 4,
     kT + 60},
};

TEST(Tcc, CurrentSchemaAuthValueAndReason) {
  for (TccSchema schema : {TccSchema::kIos14, TccSchema::kIos17}) {
    auto p = parse(testing::tcc_db(schema, kRows));
    ASSERT_TRUE(p.result) << p.result.error().message;
    ASSERT_EQ(p.sink.records.size(), 2U);
    const auto& chat = p.sink.records[0];
    EXPECT_EQ(json::to_json_line(chat.data),
              "{\"service\": \"kTCCServiceMicrophone\", \"client\": \"com.example.chat\", "
              "\"client_type\": \"bundle_id\", \"auth_value\": \"allowed\", "
              "\"auth_reason_desc\": \"user_consent\", "
              "\"last_modified\": \"2021-07-14 08:00:00.000000\", \"service_name\": \"microphone\"}");
    ASSERT_EQ(chat.timeline.size(), 1U);
    EXPECT_EQ(chat.timeline[0].event, "AccessRequest");
    EXPECT_EQ(chat.timeline[0].description,
              "Access to microphone (kTCCServiceMicrophone) by com.example.chat allowed");
    ASSERT_EQ(chat.observables.size(), 2U);
    EXPECT_EQ(chat.observables[0].observable.kind, ObservableKind::kProcess);
    EXPECT_EQ(chat.observables[0].observable.truncation, CommTruncation::kNone);
    EXPECT_EQ(chat.observables[0].level, report::AlertLevel::kCritical);
    EXPECT_EQ(chat.observables[1].observable.kind, ObservableKind::kAppId);

    const auto& bh = p.sink.records[1];
    EXPECT_EQ(testing::data_text(bh, "client_type"), "absolute_path");
    EXPECT_EQ(testing::data_text(bh, "auth_value"), "denied");
    EXPECT_EQ(testing::data_text(bh, "auth_reason_desc"), "system_set");
    EXPECT_EQ(testing::observed(bh, ObservableKind::kFilePath),
              (std::vector<std::string>{"/private/var/db/com.apple.xpc.roleaccountd.staging/bh"}));
    EXPECT_EQ(bh.provenance.locator.find("access rowid 2") != std::string::npos, true);
  }
}

TEST(Tcc, AllowedPromptCountWithLastModified) {
  auto p = parse(testing::tcc_db(TccSchema::kIos12, {{"kTCCServicePhotos", "com.x", 0, 1, 3, kT}}));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_EQ(json::to_json_line(p.sink.records[0].data),
            "{\"service\": \"kTCCServicePhotos\", \"client\": \"com.x\", \"client_type\": \"bundle_id\", "
            "\"allowed_value\": \"allowed\", \"prompt_count\": 3, "
            "\"last_modified\": \"2021-07-14 08:00:00.000000\", \"service_name\": \"photos\"}");
  EXPECT_EQ(p.sink.records[0].timeline.size(), 1U);
}

TEST(Tcc, OldestSchemasHaveNoTime) {
  for (TccSchema schema : {TccSchema::kNoPolicy, TccSchema::kPolicy}) {
    auto p = parse(testing::tcc_db(schema, {{"kTCCServiceAddressBook", "com.y", 0, 0, 1, 0}}));
    ASSERT_TRUE(p.result) << p.result.error().message;
    ASSERT_EQ(p.sink.records.size(), 1U);
    const auto& r = p.sink.records[0];
    EXPECT_EQ(testing::data_text(r, "allowed_value"), "denied");
    EXPECT_EQ(r.data.find("last_modified"), nullptr);
    EXPECT_FALSE(r.time.has_value());
    EXPECT_TRUE(r.timeline.empty());
    EXPECT_EQ(testing::observed(r, ObservableKind::kProcess), (std::vector<std::string>{"com.y"}));
  }
}

TEST(Tcc, ServiceNames) {
  EXPECT_EQ(tcc_service_name("kTCCServiceAddressBook"), "contacts");
  EXPECT_EQ(tcc_service_name("kTCCServiceSomethingNew"), "SomethingNew");
  EXPECT_EQ(tcc_service_name("kTCCService"), "kTCCService");
  EXPECT_EQ(tcc_service_name("odd"), "odd");
}

TEST(Tcc, UnknownSchemaAndCorruptFilesFail) {
  testing::SqlFixture other;
  other.exec("CREATE TABLE access (service TEXT, client TEXT, client_type INTEGER, x INTEGER);");
  auto p = parse(other.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("unknown schema"), std::string::npos);

  testing::SqlFixture none;
  none.exec("CREATE TABLE admin (key TEXT, value INTEGER);");
  auto n = parse(none.bytes());
  ASSERT_FALSE(n.result);
  EXPECT_NE(n.result.error().message.find("no table access"), std::string::npos);

  const std::string good = testing::tcc_db(TccSchema::kIos14, kRows);
  EXPECT_FALSE(parse(good.substr(0, good.size() / 3)).result);
  EXPECT_FALSE(parse("SQLite format 3").result);
}

TEST(Tcc, ModuleOnABackup) {
  TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/TCC/TCC.db", testing::tcc_db(TccSchema::kIos17, kRows));
  auto module = make_tcc_module();
  auto run = testing::run_module_on(*module, b.write(tmp / "backup"));
  EXPECT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 2U);
  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/Other.db", "x");
  EXPECT_EQ(testing::run_module_on(*module, empty.write(tmp / "e")).status.code,
            scan::ModuleStatus::kNotPresent);
}

}  // namespace
}  // namespace spyglass::artifacts::ios
