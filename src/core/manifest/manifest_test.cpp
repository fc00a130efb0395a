#include "core/manifest/manifest.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/manifest/hashing.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::manifest {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;
using spyglass::testing::write_file;

constexpr UnixMicros kStart = 1556532000000000;  // 2019-04-29T10:00:00Z

ManifestInput basic_input(const fs::path& evidence) {
  ManifestInput in;
  in.tool = {"spyglass", "0.1.0", "abc123"};
  in.os = {"Linux", "6.1.0", "x86_64"};
  in.argv = {"spyglass", "check-backup", "--password", "hunter2", "-o", "out", evidence.string()};
  in.started = kStart;
  in.finished = kStart + 2500000;
  in.evidence_root = evidence;
  in.evidence_files = {"Manifest.db", "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28"};
  in.indicators = {{"pegasus", "/iocs/pegasus.stix2", 3, sha256_hex("abc")}};
  return in;
}

// Digests prefetched during the run give the same manifest as hashing at the end, and a
// file changed after its prefetch is hashed again.
TEST(WriteManifest, PrefetchedDigestsGiveTheSameManifest) {
  TempDir ev;
  TempDir out_plain;
  TempDir out_cached;
  write_file(ev / "Manifest.db", "db");
  write_file(ev / "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28", "sms");
  for (const TempDir* out : {&out_plain, &out_cached}) {
    write_file(*out / "sms.json", "[1]");
    write_file(*out / "timeline.csv", "t");
  }
  DigestCache cache;
  cache.prefetch({out_cached / "sms.json", out_cached / "timeline.csv", ev / "Manifest.db"});
  (void)cache.lookup(ev / "Manifest.db");  // the prefetch is done
  write_file(out_cached / "timeline.csv", "t2");  // changed since: hashed again
  write_file(out_plain / "timeline.csv", "t2");

  ManifestInput plain = basic_input(ev.path());
  ManifestInput cached = basic_input(ev.path());
  cached.digests = &cache;
  ASSERT_TRUE(write_manifest(plain, out_plain.path()));
  ASSERT_TRUE(write_manifest(cached, out_cached.path()));
  auto a = parse_manifest(read_file(out_plain / "manifest.json"));
  auto b = parse_manifest(read_file(out_cached / "manifest.json"));
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->outputs.size(), b->outputs.size());
  for (std::size_t i = 0; i < a->outputs.size(); ++i) {
    EXPECT_EQ(a->outputs[i].path, b->outputs[i].path);
    EXPECT_EQ(a->outputs[i].sha256, b->outputs[i].sha256);
    EXPECT_EQ(a->outputs[i].size, b->outputs[i].size);
  }
  ASSERT_EQ(a->evidence.files.size(), b->evidence.files.size());
  for (std::size_t i = 0; i < a->evidence.files.size(); ++i) {
    EXPECT_EQ(a->evidence.files[i].sha256, b->evidence.files[i].sha256);
  }
}

TEST(WriteManifest, RecordsEvidenceIndicatorsOutputsAndRedactedCommand) {
  TempDir ev;
  TempDir out;
  write_file(ev / "Manifest.db", "db");
  write_file(ev / "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28", "sms");
  write_file(ev / "not_read.txt", "ignored without --hash-all");
  write_file(out / "results.json", "[]");
  write_file(out / "sub/timeline.csv", "t");

  auto summary = write_manifest(basic_input(ev.path()), out.path());
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->evidence_files, 2u);
  EXPECT_EQ(summary->evidence_errors, 0u);
  EXPECT_EQ(summary->outputs, 2u);
  EXPECT_FALSE(summary->signature_path);
  const std::string bytes = read_file(out / "manifest.json");
  EXPECT_EQ(summary->manifest_sha256, sha256_hex(bytes));
  EXPECT_EQ(bytes.find("hunter2"), std::string::npos);

  auto m = parse_manifest(bytes);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->started, "2019-04-29T10:00:00Z");
  EXPECT_EQ(m->finished, "2019-04-29T10:00:02.500000Z");
  EXPECT_EQ(m->tool.build_id, "abc123");
  EXPECT_EQ(m->os.machine, "x86_64");
  EXPECT_EQ(m->command[3], "<redacted>");
  EXPECT_EQ(m->evidence.root, ev.path().string());
  ASSERT_EQ(m->evidence.files.size(), 2u);
  EXPECT_EQ(m->evidence.files[0].path, "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28");
  EXPECT_EQ(m->evidence.files[0].sha256, sha256_hex("sms"));
  EXPECT_EQ(m->evidence.files[1].size, 2u);
  ASSERT_EQ(m->outputs.size(), 2u);
  EXPECT_EQ(m->outputs[0].path, "results.json");
  EXPECT_EQ(m->outputs[1].path, "sub/timeline.csv");
  EXPECT_EQ(m->outputs[1].sha256, sha256_hex("t"));
  ASSERT_EQ(m->indicators.size(), 1u);
  EXPECT_EQ(m->indicators[0].name, "pegasus");
  EXPECT_TRUE(m->history.empty());
  // Canonical: re-serialising the parsed manifest gives the very same bytes.
  EXPECT_EQ(serialize_manifest(*m), bytes);
}

TEST(WriteManifest, UnreadableEvidenceIsRecordedNotFatal) {
  TempDir ev;
  TempDir out;
  write_file(ev / "Manifest.db", "db");
  ASSERT_EQ(::symlink("/etc/hostname", (ev / "link").c_str()), 0);
  auto in = basic_input(ev.path());
  in.evidence_files = {"Manifest.db", "gone.db", "link", "../escape"};
  auto summary = write_manifest(in, out.path());
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->evidence_errors, 3u);
  auto m = load_manifest(out.path());
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->evidence.files.size(), 3u);  // the unsafe path is not recorded as a path
}

TEST(WriteManifest, HashAllWalksTheTreeWithoutFollowingLinks) {
  TempDir ev;
  TempDir out;
  write_file(ev / "a", "1");
  write_file(ev / "d/e/f", "2");
  ASSERT_EQ(::symlink("/", (ev / "rootlink").c_str()), 0);
  auto in = basic_input(ev.path());
  in.hash_all = true;
  auto summary = write_manifest(in, out.path());
  ASSERT_TRUE(summary) << summary.error().message;
  auto m = load_manifest(out.path());
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->evidence.hash_all);
  ASSERT_EQ(m->evidence.files.size(), 3u);
  EXPECT_EQ(m->evidence.files[0].path, "a");
  EXPECT_EQ(m->evidence.files[1].path, "d/e/f");
  EXPECT_EQ(m->evidence.files[2].path, "rootlink");
  EXPECT_FALSE(m->evidence.files[2].error.empty());
}

TEST(WriteManifest, SingleFileEvidenceUsesItsFolderAsRoot) {
  TempDir ev;
  TempDir out;
  write_file(ev / "capture.pcap", "pcap");
  auto in = basic_input(ev / "capture.pcap");
  auto summary = write_manifest(in, out.path());
  ASSERT_TRUE(summary);
  auto m = load_manifest(out.path());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->evidence.root, ev.path().string());
  ASSERT_EQ(m->evidence.files.size(), 1u);
  EXPECT_EQ(m->evidence.files[0].path, "capture.pcap");
}

TEST(WriteManifest, SameInputsGiveIdenticalBytes) {
  TempDir ev;
  TempDir out1;
  TempDir out2;
  write_file(ev / "Manifest.db", "db");
  write_file(out1 / "r.json", "x");
  write_file(out2 / "r.json", "x");
  auto in = basic_input(ev.path());
  ASSERT_TRUE(write_manifest(in, out1.path()));
  ASSERT_TRUE(write_manifest(in, out2.path()));
  EXPECT_EQ(read_file(out1 / "manifest.json"), read_file(out2 / "manifest.json"));
}

TEST(WriteManifest, SignsWithKeyAndRemovesStaleSignatureWithout) {
  TempDir keys;
  TempDir ev;
  TempDir out;
  write_file(ev / "Manifest.db", "db");
  auto files = generate_key_files(keys / "k");
  ASSERT_TRUE(files);
  auto in = basic_input(ev.path());
  in.sign_key = *load_secret_key(files->secret_key);
  auto signed_summary = write_manifest(in, out.path());
  ASSERT_TRUE(signed_summary);
  ASSERT_TRUE(signed_summary->signature_path);
  EXPECT_EQ(verify_detached(read_file(out / "manifest.json"), read_file(out / "manifest.json.sig"),
                            files->public_key_value),
            SignatureCheck::kValid);
  in.sign_key.reset();
  ASSERT_TRUE(write_manifest(in, out.path()));
  EXPECT_FALSE(fs::exists(out / "manifest.json.sig"));
}

TEST(WriteManifest, NonUtf8NamesAndControlCharactersRoundTrip) {
  TempDir ev;
  TempDir out;
  const std::string odd = std::string("caf\xE9 \"q\"\n.txt");
  write_file(ev / odd, "latin1 name");
  auto in = basic_input(ev.path());
  in.evidence_files = {odd};
  ASSERT_TRUE(write_manifest(in, out.path()));
  const std::string bytes = read_file(out / "manifest.json");
  EXPECT_NE(bytes.find("path_hex"), std::string::npos);
  auto m = parse_manifest(bytes);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->evidence.files.size(), 1u);
  EXPECT_EQ(m->evidence.files[0].path, odd);
  EXPECT_EQ(m->evidence.files[0].sha256, sha256_hex("latin1 name"));
}

TEST(WriteManifest, MissingOutputFolderIsAnError) {
  TempDir ev;
  auto r = write_manifest(basic_input(ev.path()), ev / "no/such/out");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

// ---- Parser on bad input ---------------------------------------------------------------

class ParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Manifest m;
    m.tool = {"spyglass", "0.1.0", "b"};
    m.started = "2019-04-29T10:00:00Z";
    m.finished = "2019-04-29T10:00:01Z";
    m.command = {"spyglass"};
    m.evidence.root = "/ev";
    m.outputs.push_back({"r.json", 1, sha256_hex("x"), "", ""});
    good_ = serialize_manifest(m);
  }
  Error parse_error(const std::string& text) {
    auto r = parse_manifest(text);
    EXPECT_FALSE(r) << text;
    return r ? Error() : r.error();
  }
  std::string replace(const std::string& from, const std::string& to) {
    std::string s = good_;
    const auto pos = s.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return s.replace(pos, from.size(), to);
  }
  std::string good_;
};

TEST_F(ParseTest, GoodParses) { EXPECT_TRUE(parse_manifest(good_)); }

TEST_F(ParseTest, TruncatedAtEveryLengthIsMalformed) {
  for (std::size_t n = 0; n < good_.size() - 2; n += 7) {
    EXPECT_FALSE(parse_manifest(good_.substr(0, n))) << n;
  }
  EXPECT_EQ(parse_error(good_.substr(0, good_.size() / 2)).code, ErrorCode::kMalformed);
}

TEST_F(ParseTest, WrongTypesMissingAndUnknownFields) {
  EXPECT_EQ(parse_error("[]").code, ErrorCode::kMalformed);
  EXPECT_EQ(parse_error("{}").code, ErrorCode::kMalformed);
  EXPECT_NE(parse_error(replace("\"size\": 1", "\"size\": -1")).message.find("size"),
            std::string::npos);
  EXPECT_EQ(parse_error(replace("\"size\": 1", "\"size\": \"1\"")).code, ErrorCode::kMalformed);
  EXPECT_NE(parse_error(replace("\"history\": []", "\"history\": [], \"extra\": 1"))
                .message.find("unknown key"),
            std::string::npos);
  EXPECT_FALSE(parse_manifest(
      replace("\"started\": \"2019-04-29T10:00:00Z\"", "\"started\": \"yesterday\"")));
  EXPECT_FALSE(parse_manifest(replace(sha256_hex("x"), "abc")));
  EXPECT_FALSE(parse_manifest(replace("\"hash_all\": false", "\"hash_all\": 0")));
}

TEST_F(ParseTest, DuplicateKeysAndDuplicatePathsAreRejected) {
  EXPECT_NE(parse_error(replace("\"history\": []", "\"history\": [], \"history\": []"))
                .message.find("duplicate"),
            std::string::npos);
  const std::string entry =
      "{\"path\": \"r.json\", \"size\": 1, \"sha256\": \"" + sha256_hex("x") + "\"}";
  EXPECT_NE(parse_error(replace(entry, entry + ", " + entry)).message.find("twice"),
            std::string::npos);
}

TEST_F(ParseTest, UnsafePathsAreRejected) {
  for (const char* bad : {"../r.json", "/etc/passwd", "a/../../b", "a//b", "./r", ""}) {
    EXPECT_FALSE(parse_manifest(replace("\"r.json\"", std::string("\"") + bad + "\""))) << bad;
  }
}

TEST_F(ParseTest, NewerVersionIsUnsupported) {
  EXPECT_EQ(
      parse_error(replace("\"spyglass_manifest_version\": 1", "\"spyglass_manifest_version\": 2"))
          .code,
      ErrorCode::kUnsupported);
}

TEST(SafePath, Rules) {
  EXPECT_TRUE(is_safe_relative_path("a/b.c"));
  EXPECT_TRUE(is_safe_relative_path("..a/b"));
  EXPECT_FALSE(is_safe_relative_path("a/"));
  EXPECT_FALSE(is_safe_relative_path(std::string_view("a\0b", 3)));
}

// ---- Updates -----------------------------------------------------------------------------

TEST(UpdateManifest, RecordsRewrittenFilesAndHistory) {
  TempDir ev;
  TempDir out;
  write_file(ev / "Manifest.db", "db");
  write_file(out / "report.html", "<html>v1");
  write_file(out / "results.json", "[]");
  ASSERT_TRUE(write_manifest(basic_input(ev.path()), out.path()));

  write_file(out / "report.html", "<html>v2");
  write_file(out / "report_assets/style.css", "css");
  ManifestUpdate update;
  update.at = kStart + 3600000000;
  update.argv = {"spyglass", "report", "out", "--password=x"};
  update.files = {"report.html", "report_assets/style.css"};
  auto summary = update_manifest(out.path(), update);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_FALSE(summary->signature_path);

  auto m = load_manifest(out.path());
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->outputs.size(), 3u);
  EXPECT_EQ(m->outputs[0].path, "report.html");
  EXPECT_EQ(m->outputs[0].sha256, sha256_hex("<html>v2"));
  EXPECT_EQ(m->outputs[1].path, "report_assets/style.css");
  ASSERT_EQ(m->history.size(), 1u);
  const auto& h = m->history[0];
  EXPECT_EQ(h.action, "report");
  EXPECT_EQ(h.at, "2019-04-29T11:00:00Z");
  EXPECT_EQ(h.command.back(), "--password=<redacted>");
  ASSERT_EQ(h.files.size(), 2u);
  EXPECT_EQ(h.files[0].previous_sha256, sha256_hex("<html>v1"));
  EXPECT_EQ(h.files[0].sha256, sha256_hex("<html>v2"));
  EXPECT_TRUE(h.files[1].previous_sha256.empty());
}

TEST(UpdateManifest, SignedManifestNeedsTheSameKeyAndIsResigned) {
  TempDir keys;
  TempDir ev;
  TempDir out;
  write_file(ev / "Manifest.db", "db");
  write_file(out / "report.html", "v1");
  auto k = generate_key_files(keys / "k");
  auto other = generate_key_files(keys / "other");
  ASSERT_TRUE(k && other);
  auto in = basic_input(ev.path());
  in.sign_key = *load_secret_key(k->secret_key);
  ASSERT_TRUE(write_manifest(in, out.path()));
  const std::string signed_bytes = read_file(out / "manifest.json");
  const std::string signed_sig = read_file(out / "manifest.json.sig");

  write_file(out / "report.html", "v2");
  ManifestUpdate update;
  update.files = {"report.html"};

  auto refused = update_manifest(out.path(), update);  // no key
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("--sign-key"), std::string::npos);
  EXPECT_EQ(read_file(out / "manifest.json"), signed_bytes);
  EXPECT_EQ(read_file(out / "manifest.json.sig"), signed_sig);

  update.sign_key = *load_secret_key(other->secret_key);  // someone else's key
  ASSERT_FALSE(update_manifest(out.path(), update));
  EXPECT_EQ(read_file(out / "manifest.json"), signed_bytes);

  update.sign_key = *load_secret_key(k->secret_key);
  auto ok = update_manifest(out.path(), update);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_TRUE(ok->signature_path);
  const std::string new_bytes = read_file(out / "manifest.json");
  EXPECT_NE(new_bytes, signed_bytes);
  EXPECT_EQ(verify_detached(new_bytes, read_file(out / "manifest.json.sig"), k->public_key_value),
            SignatureCheck::kValid);
}

TEST(UpdateManifest, TamperedSignedManifestIsNotResigned) {
  TempDir keys;
  TempDir ev;
  TempDir out;
  write_file(out / "report.html", "v1");
  auto k = generate_key_files(keys / "k");
  ASSERT_TRUE(k);
  auto in = basic_input(ev.path());
  in.evidence_files.clear();
  in.sign_key = *load_secret_key(k->secret_key);
  ASSERT_TRUE(write_manifest(in, out.path()));
  std::string bytes = read_file(out / "manifest.json");
  bytes.replace(bytes.find("0.1.0"), 5, "0.1.1");
  write_file(out / "manifest.json", bytes);
  ManifestUpdate update;
  update.files = {"report.html"};
  update.sign_key = *load_secret_key(k->secret_key);
  auto r = update_manifest(out.path(), update);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("does not verify"), std::string::npos);
}

TEST(UpdateManifest, RejectsUnsafeOrMissingFiles) {
  TempDir ev;
  TempDir out;
  ASSERT_TRUE(write_manifest(basic_input(ev.path()), out.path()));
  const std::string before = read_file(out / "manifest.json");
  ManifestUpdate update;
  update.files = {"../outside"};
  EXPECT_FALSE(update_manifest(out.path(), update));
  update.files = {"manifest.json"};
  EXPECT_FALSE(update_manifest(out.path(), update));
  update.files = {"never_written.html"};
  EXPECT_FALSE(update_manifest(out.path(), update));
  EXPECT_EQ(read_file(out / "manifest.json"), before);
}

TEST(UpdateManifest, NoManifestIsNotFound) {
  TempDir out;
  ManifestUpdate update;
  auto r = update_manifest(out.path(), update);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace spyglass::manifest
