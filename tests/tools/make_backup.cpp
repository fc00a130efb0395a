// spyglass-make-backup: writes generated iOS backups for the demo and the benchmarks, with
// the same fixture builders the tests use (real Manifest.db/MBFile layout, real keybag
// encryption, real sms.db / History.db / DataUsage.sqlite schemas). Deterministic: a fixed
// clock and a seeded RNG, so the same arguments give the same bytes.
//
//   spyglass-make-backup --sample DIR
//   spyglass-make-backup --large DIR [--encrypted --password-file F] [--filler-gb N]
//
// Not evidence handling: this is a developer tool that writes made-up data, so plain
// exceptions end it with a message.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "artifacts/ios/sms/sms_db_fixture.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_datausage.hpp"
#include "support/ios_fixtures_safari.hpp"
#include "support/ios_fixtures_sql.hpp"

namespace {

namespace fs = std::filesystem;
using spyglass::testing::DataUsageFixture;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::SafariHistoryItem;
using spyglass::testing::SafariHistoryVisit;
using spyglass::testing::SqlFixture;

// Fixed clock: 2021-05-01T00:00:00Z as Mac absolute time (seconds since 2001-01-01).
constexpr std::int64_t kMacBase = 641520000;

// Indicator values planted on purpose, all from Amnesty Tech's bundled Pegasus indicators
// (data/iocs/amnesty-investigations/2021-07-18_nso/pegasus.stix2).
constexpr const char* kPegasusSmsDomain = "weather4free.com";   // domain-name:value
constexpr const char* kPegasusSafariDomain = "smscentro.com";   // domain-name:value
constexpr const char* kPegasusProcess = "fservernetd";          // process:name

struct Message {
  std::int64_t handle;  // handle.ROWID
  std::string text;
  std::int64_t mac_seconds;
  bool from_me;
};

std::string sms_db(const std::vector<std::string>& handles, const std::vector<Message>& messages) {
  SqlFixture db;
  db.exec(spyglass::artifacts::ios::testing::kSmsDbSchema);
  db.exec("BEGIN;");
  for (std::size_t i = 0; i < handles.size(); ++i) {
    db.run("INSERT INTO handle(ROWID, id, country, service) VALUES (?, ?, 'fr', 'SMS')",
           {static_cast<std::int64_t>(i + 1), handles[i]});
  }
  std::int64_t rowid = 0;
  for (const Message& m : messages) {
    ++rowid;
    char guid[48];
    std::snprintf(guid, sizeof guid, "6B1E3A52-0000-4000-8000-%012" PRId64, rowid);
    // iOS 11+ stores message dates in nanoseconds since 2001-01-01.
    const std::int64_t date = m.mac_seconds * 1000000000;
    db.run(
        "INSERT INTO message(ROWID, guid, text, handle_id, service, account, date, date_read, "
        "date_delivered, is_delivered, is_finished, is_from_me, is_read, is_sent) "
        "VALUES (?, ?, ?, ?, 'SMS', 'p:+33600000000', ?, ?, ?, 1, 1, ?, 1, ?)",
        {rowid, std::string(guid), m.text, m.handle, date, date + 60000000000, date,
         static_cast<std::int64_t>(m.from_me), static_cast<std::int64_t>(m.from_me)});
  }
  db.exec("COMMIT;");
  return db.bytes();
}

void add_common_layout(IosBackupBuilder& b) {
  b.add_directory("HomeDomain", "Library");
  b.add_directory("HomeDomain", "Library/SMS");
  b.add_directory("HomeDomain", "Library/Safari");
  b.add_directory("HomeDomain", "Library/Preferences");
  b.add_directory("WirelessDomain", "Library/Databases");
}

void write_sample(const fs::path& dir) {
  IosBackupBuilder b(20210718);
  add_common_layout(b);

  // SMS: a Pegasus lure (domain from the bundled indicators) and two ordinary messages.
  const std::vector<Message> messages = {
      {1, std::string("Bonjour, votre colis est en attente, suivez-le ici https://") +
              kPegasusSmsDomain + "/track/84d2a",
       kMacBase + 9 * 3600 + 14 * 60, false},
      {2, "On se voit demain a 10h ? https://www.openstreetmap.org/#map=17/48.8566/2.3522",
       kMacBase + 11 * 3600 + 40 * 60, false},
      {2, "Oui, a demain !", kMacBase + 11 * 3600 + 52 * 60, true},
  };
  b.add_file("HomeDomain", "Library/SMS/sms.db",
             sms_db({"+33612345678", "+33698765432"}, messages));

  // Safari: one visit to a subdomain of a Pegasus domain, two ordinary visits.
  b.add_file("HomeDomain", "Library/Safari/History.db",
             spyglass::testing::safari_history_db(
                 {{1, "https://www.amnesty.org/en/", 1},
                  {2, std::string("https://login.") + kPegasusSafariDomain + "/v?id=77", 1},
                  {3, "https://www.wikipedia.org/", 1}},
                 {{1, 1, static_cast<double>(kMacBase + 8 * 3600), "Amnesty International",
                   std::nullopt, std::nullopt},
                  {2, 2, static_cast<double>(kMacBase + 9 * 3600 + 15 * 60), std::nullopt,
                   std::nullopt, std::nullopt},
                  {3, 3, static_cast<double>(kMacBase + 12 * 3600), "Wikipedia", std::nullopt,
                   std::nullopt}}));

  // DataUsage: a process named like a Pegasus process, and two ordinary ones.
  DataUsageFixture du;
  const auto t = [](std::int64_t s) { return static_cast<double>(kMacBase + s); };
  du.processes = {{1, t(3600), t(7200), "com.apple.mobilesafari", "MobileSafari"},
                  {2, t(4000), t(9000), std::nullopt, kPegasusProcess},
                  {3, t(5000), t(5600), "com.apple.MobileSMS", "MobileSMS"}};
  du.live = {{1, 1, t(7200), 1024, 512, 2048, 256},
             {2, 2, t(9000), 0, 0, 5242880, 1048576},
             {3, 3, t(5600), 300, 100, 0, 0}};
  b.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite",
             spyglass::testing::datausage_db(du));

  b.add_file("HomeDomain", "Library/Preferences/com.apple.example.plist", "not read");
  b.write(dir);
}

struct LargeOptions {
  std::size_t rows = 300000;
  std::size_t sms = 100000;
  std::size_t visits = 50000;
  double filler_gb = 0;
  bool encrypted = false;
  std::string password_file;
  std::uint32_t dpic = 10000000;
  std::uint32_t iter = 10000;
};

std::string read_password(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the password file " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw std::runtime_error("the password file is empty: " + path);
  return line;
}

std::string random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

void write_large(const fs::path& dir, const LargeOptions& o) {
  IosBackupBuilder b(20211216);
  std::mt19937_64 rng(42);
  std::size_t rows = 0;
  add_common_layout(b);
  rows += 5;

  // sms.db: every message carries a unique URL; one is a Pegasus lure, so the scan alerts.
  std::vector<std::string> handles;
  for (int i = 0; i < 2000; ++i) handles.push_back("+336" + std::to_string(10000000 + i * 37));
  std::vector<Message> messages;
  messages.reserve(o.sms);
  for (std::size_t i = 0; i < o.sms; ++i) {
    std::string text = "Message " + std::to_string(i) + ": voir https://site" +
                       std::to_string(i % 5000) + ".example.org/p/" + std::to_string(i) +
                       "?ref=" + std::to_string(rng() % 1000000);
    if (i == o.sms / 2) {
      text = std::string("Votre colis: https://") + kPegasusSmsDomain + "/track/" +
             std::to_string(i);
    }
    messages.push_back({static_cast<std::int64_t>(1 + i % handles.size()), std::move(text),
                        kMacBase + static_cast<std::int64_t>(i) * 60, (i % 3) == 0});
  }
  b.add_file("HomeDomain", "Library/SMS/sms.db", sms_db(handles, messages));
  messages = {};
  ++rows;

  // History.db: visits spread over a fifth as many history items.
  std::vector<SafariHistoryItem> items;
  std::vector<SafariHistoryVisit> visits;
  const std::size_t n_items = std::max<std::size_t>(1, o.visits / 5);
  for (std::size_t i = 0; i < n_items; ++i) {
    items.push_back({static_cast<std::int64_t>(i + 1),
                     "https://news" + std::to_string(i % 700) + ".example.net/article/" +
                         std::to_string(i),
                     5});
  }
  for (std::size_t i = 0; i < o.visits; ++i) {
    visits.push_back({static_cast<std::int64_t>(i + 1),
                      static_cast<std::int64_t>(1 + (i * 7919) % n_items),
                      static_cast<double>(kMacBase + static_cast<std::int64_t>(i) * 90),
                      "Article " + std::to_string(i), std::nullopt, std::nullopt});
  }
  b.add_file("HomeDomain", "Library/Safari/History.db",
             spyglass::testing::safari_history_db(items, visits));
  items = {};
  visits = {};
  ++rows;

  // DataUsage.sqlite: 400 ordinary processes and their usage rows.
  DataUsageFixture du;
  for (std::int64_t i = 1; i <= 400; ++i) {
    const double ts = static_cast<double>(kMacBase + i * 300);
    du.processes.push_back({i, ts, ts + 3600, "com.example.app" + std::to_string(i),
                            "ExampleApp" + std::to_string(i)});
    for (std::int64_t k = 0; k < 10; ++k) {
      du.live.push_back({i * 10 + k, i, ts + static_cast<double>(k * 60), 1000.0 * static_cast<double>(k), 10, 20, 30});
    }
  }
  b.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite",
             spyglass::testing::datausage_db(du));
  ++rows;

  // Filler: large camera-roll videos, content generated while writing.
  const auto filler_bytes = static_cast<std::uint64_t>(o.filler_gb * 1024.0 * 1024.0 * 1024.0);
  constexpr std::uint64_t kVideo = 256ull << 20;
  for (std::uint64_t done = 0, n = 0; done < filler_bytes; ++n) {
    const std::uint64_t size = std::min(kVideo, filler_bytes - done);
    char name[64];
    std::snprintf(name, sizeof name, "Media/DCIM/100APPLE/IMG_%04" PRIu64 ".MOV", n + 1);
    b.add_filler_file("CameraRollDomain", name, size);
    done += size;
    ++rows;
  }

  // The rest: small files across app, media and home domains, a folder every 20 files.
  for (std::size_t i = 0; rows < o.rows; ++i) {
    if (i % 20 == 0) {
      b.add_directory("AppDomain-com.example.app" + std::to_string(i / 20 % 400),
                      "Library/Caches/c" + std::to_string(i / 20));
      ++rows;
      continue;
    }
    const std::string content = random_bytes(rng, 16 + rng() % 240);
    switch (i % 4) {
      case 0: {
        char name[64];
        std::snprintf(name, sizeof name, "Media/DCIM/%03zuAPPLE/IMG_%06zu.HEIC", 100 + i / 5000,
                      i);
        b.add_file("CameraRollDomain", name, content);
        break;
      }
      case 1:
        b.add_file("AppDomain-com.example.app" + std::to_string(i % 400),
                   "Library/Caches/c" + std::to_string(i / 20) + "/f" + std::to_string(i),
                   content);
        break;
      case 2:
        b.add_file("MediaDomain", "Library/SMS/Attachments/" + std::to_string(i % 256) + "/" +
                                      std::to_string(i) + "/IMG_" + std::to_string(i) + ".jpeg",
                   content);
        break;
      default:
        b.add_file("HomeDomain", "Library/Caches/com.apple.x/" + std::to_string(i), content);
        break;
    }
    ++rows;
  }

  if (o.encrypted) {
    b.set_encrypted(read_password(o.password_file), {.dpic = o.dpic, .iter = o.iter, .pre_10_2 = false});
  }
  b.write(dir);
}

bool is_empty_or_absent(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Writes a generated iOS backup (made-up data, real formats) for the demo and the "
      "benchmarks. Deterministic: same arguments, same bytes."};
  std::string sample;
  std::string large;
  LargeOptions o;
  app.add_option("--sample", sample,
                 "Small backup with planted Pegasus indicator hits (SMS link, Safari visit, "
                 "DataUsage process) and clean items");
  app.add_option("--large", large,
                 "Benchmark backup: --rows Manifest rows, --sms messages each with a unique "
                 "URL, --visits Safari visits, optional filler");
  app.add_option("--rows", o.rows, "Manifest rows of the large backup")->capture_default_str();
  app.add_option("--sms", o.sms, "SMS messages of the large backup")->capture_default_str();
  app.add_option("--visits", o.visits, "Safari visits of the large backup")
      ->capture_default_str();
  app.add_option("--filler-gb", o.filler_gb,
                 "Gigabytes of filler videos (sparse when plaintext, streamed when encrypted)");
  app.add_flag("--encrypted", o.encrypted, "Encrypt the large backup (real keybag)");
  app.add_option("--password-file", o.password_file, "File whose first line is the password");
  app.add_option("--dpic", o.dpic, "PBKDF2-SHA256 rounds of the keybag (real backups: 10M)")
      ->capture_default_str();
  app.add_option("--iter", o.iter, "PBKDF2-SHA1 rounds of the keybag")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (sample.empty() == large.empty()) {
    std::fprintf(stderr, "spyglass-make-backup: give exactly one of --sample DIR, --large DIR\n");
    return 2;
  }
  if (o.encrypted && o.password_file.empty()) {
    std::fprintf(stderr, "spyglass-make-backup: --encrypted needs --password-file\n");
    return 2;
  }
  const fs::path dir = sample.empty() ? fs::path(large) : fs::path(sample);
  if (!is_empty_or_absent(dir)) {
    std::fprintf(stderr, "spyglass-make-backup: %s exists and is not empty\n", dir.c_str());
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    if (!sample.empty()) {
      write_sample(dir);
    } else {
      write_large(dir, o);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spyglass-make-backup: %s\n", e.what());
    return 2;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "spyglass-make-backup: wrote %s in %.1f s\n", dir.c_str(), secs);
  return 0;
}
