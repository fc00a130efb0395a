#include "core/manifest/verify.hpp"

#include <gtest/gtest.h>

#include "core/manifest/hashing.hpp"
#include "core/manifest/manifest.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::manifest {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;
using spyglass::testing::write_file;

// A finished run: evidence, outputs, a key pair, and optionally a signed manifest.
class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(ev_ / "Manifest.db", "db");
    write_file(ev_ / "Library/SMS/sms.db", "sms");
    write_file(out_ / "results.json", "[]");
    write_file(out_ / "report.html", "<html>");
    write_file(out_ / "timeline/timeline.csv", "t");
    auto k = generate_key_files(keys_ / "examiner");
    ASSERT_TRUE(k);
    pub_ = k->public_key;
    auto other = generate_key_files(keys_ / "other");
    ASSERT_TRUE(other);
    other_pub_ = other->public_key;
    key_path_ = k->secret_key;
  }
  void run(bool sign) {
    ManifestInput in;
    in.argv = {"spyglass", "check-backup", ev_.path().string()};
    in.started = 1556532000000000;
    in.finished = 1556532001000000;
    in.evidence_root = ev_.path();
    in.evidence_files = {"Manifest.db", "Library/SMS/sms.db"};
    if (sign) in.sign_key = *load_secret_key(key_path_);
    auto s = write_manifest(in, out_.path());
    ASSERT_TRUE(s) << s.error().message;
  }
  VerifyReport verify(bool with_key, bool with_evidence = false) {
    VerifyOptions options;
    if (with_key) options.public_key = pub_;
    if (with_evidence) options.evidence_root = ev_.path();
    return verify_manifest(out_.path(), options);
  }
  static std::vector<std::pair<Finding::Kind, std::string>> kinds(const VerifyReport& r) {
    std::vector<std::pair<Finding::Kind, std::string>> out;
    for (const auto& f : r.findings) out.emplace_back(f.kind, f.path);
    return out;
  }
  void flip_byte(const fs::path& path, std::size_t from_end) {
    std::string bytes = read_file(path);
    char& c = bytes[bytes.size() - from_end];
    c = c == 'A' ? 'B' : 'A';
    write_file(path, bytes);
  }

  TempDir ev_;
  TempDir out_;
  TempDir keys_;
  fs::path pub_;
  fs::path other_pub_;
  fs::path key_path_;
};

using K = Finding::Kind;

TEST_F(VerifyTest, RoundTripUnsignedAndSigned) {
  run(false);
  auto r = verify(false, true);
  EXPECT_EQ(r.exit_code, 0) << format_verify_report(r);
  EXPECT_EQ(r.signature, SignatureStatus::kNotPresent);
  EXPECT_EQ(r.outputs_checked, 3u);
  EXPECT_EQ(r.evidence_checked, 2u);
  EXPECT_NE(format_verify_report(r).find("OK"), std::string::npos);

  run(true);
  r = verify(true, true);
  EXPECT_EQ(r.exit_code, 0) << format_verify_report(r);
  EXPECT_EQ(r.signature, SignatureStatus::kValid);
}

TEST_F(VerifyTest, SignaturePresentButNoPubkeySaysNotChecked) {
  run(true);
  auto r = verify(false);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.signature, SignatureStatus::kNotChecked);
  EXPECT_NE(format_verify_report(r).find("not checked"), std::string::npos);
}

TEST_F(VerifyTest, TamperedOutputIsReportedWithBothHashes) {
  run(true);
  write_file(out_ / "report.html", "<html><script>");
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kValid);
  ASSERT_EQ(kinds(r), (std::vector<std::pair<K, std::string>>{{K::kOutputChanged, "report.html"}}));
  EXPECT_EQ(r.findings[0].expected_sha256, sha256_hex("<html>"));
  EXPECT_EQ(r.findings[0].actual_sha256, sha256_hex("<html><script>"));
  const std::string text = format_verify_report(r);
  EXPECT_NE(text.find("output changed: report.html"), std::string::npos) << text;
  EXPECT_NE(text.find("FAILED"), std::string::npos);
}

TEST_F(VerifyTest, SameSizeChangeIsCaught) {
  run(false);
  write_file(out_ / "results.json", "{}");
  EXPECT_EQ(kinds(verify(false)),
            (std::vector<std::pair<K, std::string>>{{K::kOutputChanged, "results.json"}}));
}

TEST_F(VerifyTest, DeletedAndAddedOutputs) {
  run(false);
  fs::remove(out_ / "timeline/timeline.csv");
  write_file(out_ / "extra.json", "{}");
  auto r = verify(false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(kinds(r),
            (std::vector<std::pair<K, std::string>>{{K::kOutputMissing, "timeline/timeline.csv"},
                                                    {K::kOutputAdded, "extra.json"}}));
}

TEST_F(VerifyTest, EvidenceChangedAndMissing) {
  run(false);
  write_file(ev_ / "Manifest.db", "dB");
  fs::remove(ev_ / "Library/SMS/sms.db");
  auto without = verify(false, false);
  EXPECT_EQ(without.exit_code, 0);  // evidence is only checked when asked for
  EXPECT_EQ(without.evidence_checked, 0u);
  auto r = verify(false, true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(kinds(r),
            (std::vector<std::pair<K, std::string>>{{K::kEvidenceChanged, "Manifest.db"},
                                                    {K::kEvidenceMissing, "Library/SMS/sms.db"}}));
}

TEST_F(VerifyTest, EvidenceCheckedAtAnotherLocation) {
  run(false);
  TempDir copy;
  write_file(copy / "Manifest.db", "db");
  write_file(copy / "Library/SMS/sms.db", "sms");
  VerifyOptions options;
  options.evidence_root = copy.path();
  auto r = verify_manifest(out_.path(), options);
  EXPECT_EQ(r.exit_code, 0) << format_verify_report(r);
  EXPECT_EQ(r.evidence_checked, 2u);
}

TEST_F(VerifyTest, FlippedManifestByteAfterSigningFailsSignature) {
  run(true);
  std::string bytes = read_file(out_ / "manifest.json");
  bytes.replace(bytes.find("check-backup"), 5, "CHECK");
  write_file(out_ / "manifest.json", bytes);
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kInvalid);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(format_verify_report(r).find("INVALID"), std::string::npos);
}

TEST_F(VerifyTest, ManifestRewrittenToHideTamperingFailsSignature) {
  // An attacker edits an output and puts its new hash in the manifest: only the signature
  // can tell.
  run(true);
  write_file(out_ / "report.html", "<html>forged");
  std::string bytes = read_file(out_ / "manifest.json");
  bytes.replace(bytes.find(sha256_hex("<html>")), 64, sha256_hex("<html>forged"));
  bytes.replace(bytes.find("\"size\": 6"), 9, "\"size\": 12");
  write_file(out_ / "manifest.json", bytes);
  auto unsigned_check = verify(false);
  EXPECT_EQ(unsigned_check.exit_code, 0);  // hashes agree with the forged manifest
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kInvalid);
}

TEST_F(VerifyTest, FlippedSignatureFails) {
  run(true);
  flip_byte(out_ / "manifest.json.sig", 10);
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kInvalid);
}

TEST_F(VerifyTest, GarbageSignatureIsMalformed) {
  run(true);
  write_file(out_ / "manifest.json.sig", "this is not a signature\n");
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kMalformed);
}

TEST_F(VerifyTest, WrongPublicKeyFails) {
  run(true);
  VerifyOptions options;
  options.public_key = other_pub_;
  auto r = verify_manifest(out_.path(), options);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kInvalid);
}

TEST_F(VerifyTest, PubkeyGivenButUnsignedFails) {
  run(false);
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.signature, SignatureStatus::kMissing);
  EXPECT_NE(format_verify_report(r).find("MISSING"), std::string::npos);
}

TEST_F(VerifyTest, MissingKeyFileCannotCheck) {
  run(true);
  VerifyOptions options;
  options.public_key = keys_ / "nobody.pub";
  auto r = verify_manifest(out_.path(), options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.error.find("nobody.pub"), std::string::npos);
  EXPECT_NE(format_verify_report(r).find("cannot check"), std::string::npos);
}

TEST_F(VerifyTest, TruncatedManifestCannotCheck) {
  run(false);
  const std::string bytes = read_file(out_ / "manifest.json");
  write_file(out_ / "manifest.json", bytes.substr(0, bytes.size() / 2));
  auto r = verify(false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.error.find("not valid JSON"), std::string::npos) << r.error;
}

TEST_F(VerifyTest, TruncatedSignedManifestCannotCheckButReportsSignature) {
  run(true);
  const std::string bytes = read_file(out_ / "manifest.json");
  write_file(out_ / "manifest.json", bytes.substr(0, bytes.size() - 40));
  auto r = verify(true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.signature, SignatureStatus::kInvalid);
}

TEST_F(VerifyTest, MalformedOrMissingManifestCannotCheck) {
  write_file(out_ / "manifest.json", "{\"spyglass_manifest_version\": 1, \"tool\": 7}");
  auto r = verify(false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.error.find("tool"), std::string::npos) << r.error;

  fs::remove(out_ / "manifest.json");
  r = verify(false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.error.find("no such file"), std::string::npos) << r.error;

  r = verify_manifest(out_ / "absent", {});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(VerifyTest, HostileManifestPathsAreRefusedNotFollowed) {
  run(false);
  std::string bytes = read_file(out_ / "manifest.json");
  bytes.replace(bytes.find("\"Manifest.db\""), 13, "\"../../../../etc/hostname\"");
  write_file(out_ / "manifest.json", bytes);
  auto r = verify(false, true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.error.find("unsafe path"), std::string::npos) << r.error;
}

TEST_F(VerifyTest, UpdatedAndResignedManifestVerifies) {
  run(true);
  write_file(out_ / "report.html", "<html>re-rendered");
  ManifestUpdate update;
  update.files = {"report.html"};
  update.sign_key = *load_secret_key(key_path_);
  ASSERT_TRUE(update_manifest(out_.path(), update));
  auto r = verify(true, true);
  EXPECT_EQ(r.exit_code, 0) << format_verify_report(r);
  EXPECT_EQ(r.signature, SignatureStatus::kValid);
}

}  // namespace
}  // namespace spyglass::manifest
