// End-to-end: `ios check-backup` on generated backups, plaintext and encrypted, through the
// registry's iOS modules, the real matcher and writers (library), and the CLI binary for the
// password paths and exit codes.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "artifacts/ios/sms/sms_db_fixture.hpp"
#include "scan/module_list.hpp"
#include "support/ios_backup_builder.hpp"

namespace spyglass {
namespace {

namespace fs = std::filesystem;
using artifacts::ios::testing::run_ios_scan;
using testing::IosBackupBuilder;
using testing::read_file;
using testing::TempDir;

constexpr const char* kPassword = "correct horse";

fs::path make_backup(const fs::path& tmp, const std::string& name, bool encrypted,
                     bool truncate_sms = false) {
  const std::string sms = artifacts::ios::testing::make_sms_db(
      tmp,
      "INSERT INTO handle(ROWID, id, service) VALUES (1, '+41790000000', 'iMessage');"
      "INSERT INTO message(ROWID, guid, text, handle_id, service, date, is_from_me) VALUES"
      " (1, 'G1', 'Colis en attente: https://weather4free.example/p/8f2', 1, 'SMS',"
      " 648302400000000000, 0),"
      " (2, 'G2', 'ALERT: Apple detected a targeted mercenary spyware attack', 1, 'iMessage',"
      " 648302500000000000, 0);"
      "INSERT INTO attachment(ROWID, guid, original_guid, created_date, filename, transfer_name,"
      " total_bytes, is_outgoing) VALUES (1, 'A1', 'O1', 648302400,"
      " '/var/tmp/com.apple.messages/com.apple.MobileSMS/x.gif-1', 'x.gif', 10, 0);"
      "INSERT INTO message_attachment_join VALUES (1, 1);");
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db",
             truncate_sms ? sms.substr(0, sms.size() / 3) : sms);
  b.add_file("HomeDomain", "Library/Preferences/com.apple.x.plist", "plist");
  b.add_file("HomeDomain", "../../escape.txt", "hostile row");
  b.add_directory("HomeDomain", "Library/SMS");
  if (encrypted) b.set_encrypted(kPassword, {.dpic = 1000, .iter = 10, .pre_10_2 = false});
  return b.write(tmp / name);
}

fs::path write_iocs(const fs::path& tmp) {
  return artifacts::ios::testing::write_stix(tmp / "iocs.stix2",
                                             {{"domain-name:value", "weather4free.example"}});
}

std::vector<std::unique_ptr<scan::Module>> ios_modules() {
  return scan::make_builtin_modules(scan::Family::kIos);
}

// Every regular file below `dir` whose bytes contain `needle`.
std::vector<fs::path> files_containing(const fs::path& dir, const std::string& needle) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && read_file(e.path()).find(needle) != std::string::npos) {
      out.push_back(e.path());
    }
  }
  return out;
}

bool has_scratch_left(const fs::path& out) {
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().filename().string().front() == '.') return true;
  }
  return false;
}

TEST(IosCheckBackup, RegistryOrderIsStable) {
  std::vector<std::string> slugs;
  for (const auto& m : ios_modules()) {
    EXPECT_EQ(m->spec().family, scan::Family::kIos);
    slugs.push_back(m->spec().slug);
  }
  // MVT's order: backup-only modules (backup_info, manifest) before the mixed ones.
  std::vector<std::string> ours;
  for (const std::string& slug : slugs) {
    if (slug == "backup_info" || slug == "manifest" || slug == "sms" ||
        slug == "sms_attachments") {
      ours.push_back(slug);
    }
  }
  EXPECT_EQ(ours,
            (std::vector<std::string>{"backup_info", "manifest", "sms", "sms_attachments"}));
  std::vector<std::string> again;
  for (const auto& m : ios_modules()) again.push_back(m->spec().slug);
  EXPECT_EQ(slugs, again);
}

TEST(IosCheckBackup, PlaintextAndEncryptedGiveTheSameFindings) {
  TempDir tmp;
  const fs::path iocs = write_iocs(tmp.path());
  std::map<std::string, std::string> sms_json;
  for (const bool encrypted : {false, true}) {
    const std::string name = encrypted ? "enc" : "plain";
    const fs::path backup = make_backup(tmp.path(), name, encrypted);
    const std::string before = testing::hash_tree(backup);
    const fs::path out = tmp / ("out-" + name);
    std::optional<sources::ios_backup::Secret> secret;
    if (encrypted) {
      sources::ios_backup::Secret s;
      s.bytes = sources::ios_backup::SecureBytes(std::string_view(kPassword));
      secret = std::move(s);
    }
    auto run = run_ios_scan(ios_modules(), backup, out, iocs, std::move(secret));
    ASSERT_TRUE(run.summary) << run.summary.error().message;
    const scan::ScanSummary& s = *run.summary;
    ASSERT_GE(s.modules.size(), 4U);
    for (const auto& m : s.modules) {
      // Ours read files this backup has; the others find none of theirs.
      const bool ours = m.slug == "backup_info" || m.slug == "manifest" || m.slug == "sms" ||
                        m.slug == "sms_attachments";
      EXPECT_EQ(m.status, ours ? scan::ModuleStatus::kOk : scan::ModuleStatus::kNotPresent)
          << name << " " << m.slug << ": " << m.error;
    }
    EXPECT_EQ(s.alerts_critical, 1U) << name;  // the SMS link
    EXPECT_EQ(s.alerts_high, 1U) << name;      // Apple's threat notification
    EXPECT_EQ(s.alerts_medium, 1U) << name;    // /var/tmp/...-1 attachment
    EXPECT_EQ(s.exit_code(), 1);
    for (const char* f : {"backup_info.json", "manifest_files.json", "sms.json", "sms_attachments.json",
                          "alerts.json", "timeline.csv", "urls.json", "info.json"}) {
      EXPECT_TRUE(fs::exists(out / f)) << name << " " << f;
    }
    EXPECT_NE(read_file(out / "manifest_files.json").find("../../escape.txt"), std::string::npos);
    sms_json[name] = read_file(out / "sms.json");
    // The evidence is untouched, the hostile row was not followed, nothing decrypted is
    // left anywhere: not in the backup, not as a scratch folder in OUT.
    EXPECT_EQ(testing::hash_tree(backup), before) << name;
    EXPECT_FALSE(fs::exists(tmp.path().parent_path() / "escape.txt"));
    EXPECT_FALSE(has_scratch_left(out)) << name;
    if (encrypted) {
      EXPECT_TRUE(files_containing(backup, "SQLite format 3").empty());
      EXPECT_TRUE(files_containing(backup, "weather4free").empty());
    }
    // What the run read, for the evidence manifest: the root files and sms.db's blob.
    const std::vector<std::string> expected_read = {"3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28",
                                                    "Info.plist", "Manifest.db", "Manifest.plist",
                                                    "Status.plist"};
    EXPECT_EQ(run.files_read, expected_read) << name;
  }
  EXPECT_EQ(sms_json["plain"], sms_json["enc"]);
}

TEST(IosCheckBackup, BrokenPartsFailAloneAndMakeTheScanIncomplete) {
  TempDir tmp;
  const fs::path backup = make_backup(tmp.path(), "b", false, /*truncate_sms=*/true);
  auto run = run_ios_scan(ios_modules(), backup, tmp / "out", write_iocs(tmp.path()));
  ASSERT_TRUE(run.summary);
  std::map<std::string, scan::ModuleStatus> status;
  for (const auto& m : run.summary->modules) status[m.slug] = m.status;
  EXPECT_EQ(status["sms"], scan::ModuleStatus::kFailed);
  EXPECT_EQ(status["sms_attachments"], scan::ModuleStatus::kFailed);
  EXPECT_EQ(status["manifest"], scan::ModuleStatus::kOk);
  EXPECT_EQ(status["backup_info"], scan::ModuleStatus::kOk);
  EXPECT_EQ(run.summary->exit_code(), 2);

  fs::remove(backup / "Manifest.db");
  auto gone = run_ios_scan(ios_modules(), backup, tmp / "out2");
  ASSERT_TRUE(gone.summary);
  for (const auto& m : gone.summary->modules) {
    EXPECT_EQ(m.status, scan::ModuleStatus::kFailed) << m.slug;  // incomplete, never clean
  }
  EXPECT_EQ(gone.summary->exit_code(), 2);
}

// ---- The CLI ----------------------------------------------------------------------------

struct CliResult {
  int code = -1;
  std::string err;
};

CliResult cli(const fs::path& tmp, const std::string& args, const std::string& env = {}) {
  const fs::path err = tmp / "stderr.txt";
  const std::string command =
      env + " " + SPYGLASS_CLI_PATH + " " + args + " < /dev/null > /dev/null 2> " + err.string();
  const int rc = std::system(command.c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read_file(err)};
}

TEST(IosCheckBackupCli, PasswordsExitCodesAndCleanup) {
  TempDir tmp;
  const fs::path backup = make_backup(tmp.path(), "enc", true);
  const fs::path iocs = write_iocs(tmp.path());
  const std::string before = testing::hash_tree(backup);
  const std::string base =
      "ios check-backup " + backup.string() + " --no-default-iocs --iocs " + iocs.string();

  // No password, stdin not a terminal: exit 2 saying how to give it.
  auto none = cli(tmp.path(), base + " -o " + (tmp / "o1").string());
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("--password-file"), std::string::npos) << none.err;

  // Wrong password: stops right after key derivation, before any module runs.
  auto wrong =
      cli(tmp.path(), base + " -o " + (tmp / "o2").string() + " --password-env PW", "PW=wrong");
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("wrong backup password"), std::string::npos) << wrong.err;
  EXPECT_FALSE(fs::exists(tmp / "o2" / "sms.json"));

  // The right password from a file: detection (exit 1), scratch folder gone.
  testing::write_file(tmp / "pw.txt", kPassword);
  auto ok = cli(tmp.path(), base + " -o " + (tmp / "o3").string() + " --password-file " +
                                (tmp / "pw.txt").string());
  EXPECT_EQ(ok.code, 1) << ok.err;
  EXPECT_TRUE(fs::exists(tmp / "o3" / "sms_detected.json"));
  EXPECT_FALSE(has_scratch_left(tmp / "o3"));
  // MVT's Manifest module would write manifest.json, the name of the evidence manifest:
  // its records go to manifest_files.json, and neither file overwrites the other.
  EXPECT_NE(read_file(tmp / "o3" / "manifest_files.json").find("Library/SMS/sms.db"),
            std::string::npos);
  EXPECT_NE(read_file(tmp / "o3" / "manifest.json").find("spyglass_manifest_version"),
            std::string::npos);
  // The scratch folder (decrypted Manifest.db and databases) is gone before manifest.json
  // is written: the manifest never lists it, and the output folder verifies.
  EXPECT_EQ(read_file(tmp / "o3" / "manifest.json").find("scratch"), std::string::npos);
  auto verified = cli(tmp.path(), "verify " + (tmp / "o3").string());
  EXPECT_EQ(verified.code, 0) << verified.err;
  // Given the folder that holds the backup, the manifest's evidence still resolves.
  TempDir elsewhere;
  auto parent = cli(tmp.path(), "ios check-backup " + backup.parent_path().string() +
                                    " --no-default-iocs --iocs " + iocs.string() + " -o " +
                                    (elsewhere / "o5").string() + " --password-file " +
                                    (tmp / "pw.txt").string());
  EXPECT_EQ(parent.code, 1) << parent.err;
  auto verified_parent = cli(tmp.path(), "verify " + (elsewhere / "o5").string() +
                                             " --evidence " + backup.string());
  EXPECT_EQ(verified_parent.code, 0) << verified_parent.err;
  EXPECT_EQ(read_file(elsewhere / "o5" / "manifest.json").find("\"error\""), std::string::npos);

  // extract-key, then check-backup with the key file (takes precedence over the password).
  auto key = cli(tmp.path(),
                 "ios extract-key " + backup.string() + " -o " + (tmp / "key.hex").string() +
                     " --password-env PW",
                 std::string("PW='") + kPassword + "'");
  ASSERT_EQ(key.code, 0) << key.err;
  EXPECT_EQ(read_file(tmp / "key.hex").size(), 64U);
  EXPECT_EQ(fs::status(tmp / "key.hex").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  auto with_key = cli(tmp.path(),
                      base + " -o " + (tmp / "o4").string() + " --key-file " +
                          (tmp / "key.hex").string() + " --password-env PW",
                      "PW=wrong");
  EXPECT_EQ(with_key.code, 1) << with_key.err;

  // decrypt-backup refuses a destination inside the backup, then decrypts elsewhere.
  auto inside = cli(tmp.path(), "ios decrypt-backup " + backup.string() + " -d " +
                                    (backup / "plain").string() + " --key-file " +
                                    (tmp / "key.hex").string());
  EXPECT_EQ(inside.code, 2);
  auto dec =
      cli(tmp.path(), "ios decrypt-backup " + backup.string() + " -d " + (tmp / "dec").string() +
                          " --key-file " + (tmp / "key.hex").string());
  EXPECT_EQ(dec.code, 0) << dec.err;
  EXPECT_TRUE(fs::exists(tmp / "dec" / "3d" / "3d0d7e5fb2ce288813306e4d4636395e047a3d28"));
  EXPECT_FALSE(fs::exists(tmp / "dec" / ".spyglass-scratch"));

  EXPECT_EQ(testing::hash_tree(backup), before);

  // Not a backup: a clear error, exit 2.
  fs::create_directories(tmp / "empty");
  auto not_backup =
      cli(tmp.path(), "ios check-backup --no-default-iocs " + (tmp / "empty").string());
  EXPECT_EQ(not_backup.code, 2);
}

}  // namespace
}  // namespace spyglass
