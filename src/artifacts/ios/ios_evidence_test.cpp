#include "artifacts/ios/ios_evidence.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "artifacts/ios/ios_module.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/log.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
using testing::IosBackupBuilder;
using testing::TempDir;

// A real SQLite file with one table, as bytes.
std::string sqlite_bytes(const fs::path& dir, const std::string& sql) {
  const fs::path p = dir / "tmp.sqlite";
  fs::remove(p);
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  std::string bytes = testing::read_file(p);
  fs::remove(p);
  return bytes;
}

class CollectingSink final : public scan::RecordSink {
 public:
  void emit(scan::Record r) override { records.push_back(std::move(r)); }
  void alert(scan::StandaloneAlert) override {}
  std::vector<scan::Record> records;
};

struct Fixture {
  TempDir tmp;
  fs::path backup;
  fs::path scratch;
  std::string sms_id;
  std::string history_id;
  explicit Fixture(bool encrypted = false) {
    IosBackupBuilder b;
    sms_id = b.add_file("HomeDomain", "Library/SMS/sms.db",
                        sqlite_bytes(tmp.path(), "CREATE TABLE t(a); INSERT INTO t VALUES(42);"));
    history_id = b.add_file("AppDomain-com.apple.mobilesafari", "Library/Safari/History.db",
                            "not sqlite at all");
    b.add_file("HomeDomain", "Library/Safari/Profiles/P1/History.db", "x");
    b.add_directory("HomeDomain", "Library/Safari");
    if (encrypted) b.set_encrypted("pw");
    backup = b.write(tmp / "backup");
    scratch = tmp / "out";
  }
};

TEST(IosEvidence, FindsByPathFileIdAndPatternWithProvenance) {
  Fixture f;
  auto ev = BackupEvidence::create(f.backup, {f.scratch, std::nullopt});
  ASSERT_TRUE(ev) << ev.error().message;
  IosLocator sms;
  sms.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
  auto found = (*ev)->find(sms);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->size(), 1U);
  const IosFile& file = found->front();
  EXPECT_EQ(file.file_id, "3d0d7e5fb2ce288813306e4d4636395e047a3d28");  // MVT's fileID
  EXPECT_EQ(file.evidence_path, "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28");
  EXPECT_EQ(file.display_name(), "HomeDomain/Library/SMS/sms.db (3d0d7e5f)");
  EXPECT_EQ(file.provenance("message rowid 3").locator,
            "HomeDomain/Library/SMS/sms.db (3d0d7e5f): message rowid 3");

  IosLocator by_id;
  by_id.backup_file_ids = {f.sms_id};
  by_id.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};  // same file twice: one result
  ASSERT_EQ((*ev)->find(by_id)->size(), 1U);

  IosLocator pattern;
  pattern.backup_patterns = {{"Library/Safari/*History.db", std::nullopt, std::nullopt}};
  auto both = (*ev)->find(pattern);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->size(), 2U);  // the Safari directory row is not a file
  pattern.backup_patterns[0].domain = "HomeDomain";
  EXPECT_EQ((*ev)->find(pattern)->size(), 1U);

  IosLocator absent;
  absent.backup_files = {{"HomeDomain", "Library/Nope.db"}};
  EXPECT_TRUE((*ev)->find(absent)->empty());
}

TEST(IosEvidence, OpensSqliteCopiesAndRecordsWhatWasRead) {
  for (const bool encrypted : {false, true}) {
    Fixture f(encrypted);
    BackupEvidenceOptions options{f.scratch, std::nullopt};
    if (encrypted) {
      sources::ios_backup::Secret s;
      s.bytes = sources::ios_backup::SecureBytes(std::string_view("pw"));
      options.secret = std::move(s);
    }
    auto ev = BackupEvidence::create(f.backup, std::move(options));
    ASSERT_TRUE(ev);
    IosLocator sms;
    sms.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
    auto files = (*ev)->find(sms);
    ASSERT_TRUE(files) << files.error().message;
    auto db = (*ev)->open_sqlite(files->front());
    ASSERT_TRUE(db) << db.error().message;
    auto stmt = db->prepare("SELECT a FROM t");
    ASSERT_TRUE(stmt);
    ASSERT_TRUE(*stmt->step());
    EXPECT_EQ(stmt->get_int64(0), 42);
    EXPECT_NE(db->path().string().rfind(f.backup.string(), 0), 0U);
    EXPECT_EQ(db->path().string().rfind(f.scratch.string(), 0), 0U);  // inside the scratch

    IosLocator hist;
    hist.backup_file_ids = {f.history_id};
    auto bad = (*ev)->open_sqlite((*ev)->find(hist)->front());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kMalformed);

    const auto read = (*ev)->files_read();
    const std::vector<std::string> expected = {f.sms_id.substr(0, 2) + "/" + f.sms_id,
                                               f.history_id.substr(0, 2) + "/" + f.history_id,
                                               "Info.plist",
                                               "Manifest.db",
                                               "Manifest.plist",
                                               "Status.plist"};
    std::vector<std::string> sorted = expected;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(read, sorted);
    ev->reset();
    // Destroying the evidence removes every decrypted or copied byte.
    EXPECT_TRUE(!fs::exists(f.scratch) || fs::is_empty(f.scratch));
  }
}

TEST(IosEvidence, WrongKeyIsAnErrorForEveryCaller) {
  Fixture f(true);
  sources::ios_backup::Secret s;
  s.bytes = sources::ios_backup::SecureBytes(std::string_view("wrong"));
  auto ev = BackupEvidence::create(f.backup, {f.scratch, s});
  ASSERT_TRUE(ev);
  IosLocator sms;
  sms.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
  for (int i = 0; i < 2; ++i) {
    auto r = (*ev)->find(sms);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kWrongPassword);
  }
}

TEST(IosEvidence, ConcurrentModulesShareOneBackup) {
  Fixture f;
  IosBackupBuilder b;
  for (int i = 0; i < 500; ++i) b.add_file("HomeDomain", "f/" + std::to_string(i), "x");
  b.add_file("HomeDomain", "Library/SMS/sms.db",
             sqlite_bytes(f.tmp.path(), "CREATE TABLE t(a); INSERT INTO t VALUES(1);"));
  const fs::path backup = b.write(f.tmp / "big");
  auto ev = BackupEvidence::create(backup, {f.scratch, std::nullopt});
  ASSERT_TRUE(ev);
  int total = 0;
  ASSERT_TRUE((*ev)->for_each_manifest_entry([&](const auto&) -> Result<void> {
    ++total;
    return {};
  }));
  ASSERT_GE(total, 501);
  std::atomic<int> errors{0};
  std::atomic<int> rows{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        if (t % 2 == 0) {
          auto r = (*ev)->for_each_manifest_entry([&](const auto&) -> Result<void> {
            ++rows;
            return {};
          });
          if (!r) ++errors;
        } else {
          IosLocator l;
          l.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
          l.backup_patterns = {{"f/1%", std::nullopt, std::nullopt}};
          auto files = (*ev)->find(l);
          if (!files || files->size() != 112) ++errors;  // 1, 10-19, 100-199 + sms.db
          for (const IosFile& file : files ? *files : std::vector<IosFile>{}) {
            if (file.relative_path == "Library/SMS/sms.db" && !(*ev)->open_sqlite(file)) ++errors;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(rows.load(), 2 * 5 * total);
}

class ProbeModule final : public IosModule {
 public:
  explicit ProbeModule(IosModuleSpec spec) : IosModule(std::move(spec)) {}
  int calls = 0;
  std::size_t files = 0;

 protected:
  scan::Status run_files(IosRun& run) override {
    ++calls;
    files = run.files.size();
    return scan::Status::ok();
  }
};

scan::Status run_module(IosModule& m, const fs::path& evidence,
                        std::shared_ptr<scan::EvidenceSource> source, const fs::path& scratch) {
  Logger logger(LogOptions{}, nullptr);
  scan::ScanOptions options;
  options.evidence = evidence;
  options.source = std::move(source);
  scan::ModuleContext ctx(evidence, scratch, LogChannel(logger, "t"), options);
  CollectingSink sink;
  return m.run(ctx, sink);
}

TEST(IosModule, NotPresentFailedAndSourceKinds) {
  Fixture f;
  IosModuleSpec spec;
  spec.slug = "probe";
  spec.display_name = "Probe";
  spec.locator.backup_files = {{"HomeDomain", "Library/Absent.db"}};
  ProbeModule absent(spec);
  auto st = run_module(absent, f.backup, nullptr, f.tmp / "s1");
  EXPECT_EQ(st.code, scan::ModuleStatus::kNotPresent) << st.message;
  EXPECT_EQ(absent.calls, 0);

  spec.locator.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
  ProbeModule present(spec);
  auto ev = BackupEvidence::create(f.backup, {f.scratch, std::nullopt});
  ASSERT_TRUE(ev);
  st = run_module(present, f.backup, *ev, f.tmp / "s2");
  EXPECT_EQ(st.code, scan::ModuleStatus::kOk) << st.message;
  EXPECT_EQ(present.files, 1U);

  spec.sources = IosSources::kFilesystemOnly;
  ProbeModule fs_only(spec);
  EXPECT_EQ(run_module(fs_only, f.backup, *ev, f.tmp / "s3").code, scan::ModuleStatus::kNotPresent);

  // A backup whose Manifest.db is gone: the scan is incomplete, not clean.
  fs::remove(f.backup / "Manifest.db");
  spec.sources = IosSources::kBoth;
  ProbeModule broken(spec);
  st = run_module(broken, f.backup, nullptr, f.tmp / "s4");
  EXPECT_EQ(st.code, scan::ModuleStatus::kFailed) << st.message;
}

TEST(IosModule, SchemaHelpersAndMacTime) {
  TempDir tmp;
  auto db = formats::sqlite::Database::open_bytes(
      sqlite_bytes(tmp.path(), "CREATE TABLE message(ROWID INTEGER PRIMARY KEY, text);"),
      tmp.path());
  ASSERT_TRUE(db);
  auto cols = TableColumns::read(*db, "message");
  ASSERT_TRUE(cols);
  EXPECT_TRUE(cols->has("rowid"));
  EXPECT_TRUE(require_columns(*cols, {"ROWID", "text"}));
  auto missing = require_columns(*cols, {"text", "date"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("message(ROWID, text)"), std::string::npos);
  EXPECT_NE(missing.error().message.find("date"), std::string::npos);
  auto none = TableColumns::read(*db, "handle");
  ASSERT_TRUE(none);
  EXPECT_FALSE(require_columns(*none, {"id"}));

  EXPECT_EQ(from_mac_time_auto(0), std::nullopt);
  EXPECT_EQ(format_mvt_time(*from_mac_time_auto(600000000)), "2020-01-06 10:40:00.000000");
  EXPECT_EQ(format_mvt_time(*from_mac_time_auto(600000000123456789)), "2020-01-06 10:40:00.123456");
}

TEST(IosModule, LinksAndBase64) {
  EXPECT_EQ(find_links("see HTTPS://Evil.example/a?b=1 and http://x.org\nhttp:// nothing"),
            (std::vector<std::string>{"HTTPS://Evil.example/a?b=1", "http://x.org"}));
  EXPECT_TRUE(find_links("www.example.com ftp://a.b").empty());
  const std::string s = "any carnal pleas";
  std::span<const std::uint8_t> b(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  EXPECT_EQ(base64_encode(b), "YW55IGNhcm5hbCBwbGVhcw==");
  EXPECT_EQ(base64_encode(b.first(15)), "YW55IGNhcm5hbCBwbGVh");
  EXPECT_EQ(base64_encode(b.first(14)), "YW55IGNhcm5hbCBwbGU=");
}

}  // namespace
}  // namespace spyglass::artifacts::ios
