#include "support/ios_backup_builder.hpp"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "formats/plist/writer.hpp"
#include "support/ios_mbfile_builder.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::testing {
namespace fs = std::filesystem;
namespace pl = spyglass::formats::plist;

namespace {

constexpr std::int64_t kFixedTime = 1700000000;  // fixed clock: deterministic output

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("ios_backup_builder: ") + what);
}

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 0xF]);
  }
  return out;
}

std::string digest(const std::string& data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  check(EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) == 1, "digest");
  return hex(out, len);
}

std::string pbkdf2(const std::string& secret, const std::string& salt, std::uint32_t iter,
                   const EVP_MD* md) {
  std::string out(32, '\0');
  check(PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), static_cast<int>(iter), md, 32,
                          reinterpret_cast<unsigned char*>(out.data())) == 1,
        "pbkdf2");
  return out;
}

std::string aes_wrap(const std::string& kek, const std::string& key) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  check(EVP_EncryptInit_ex(ctx, EVP_aes_256_wrap(), nullptr,
                           reinterpret_cast<const unsigned char*>(kek.data()), nullptr) == 1,
        "wrap init");
  std::string out(key.size() + 8, '\0');
  int len = 0;
  check(EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                          reinterpret_cast<const unsigned char*>(key.data()),
                          static_cast<int>(key.size())) == 1,
        "wrap");
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(len));
  return out;
}

std::string aes_cbc_encrypt(const std::string& key, const std::string& plain) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const unsigned char iv[16] = {};
  check(EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr,
                           reinterpret_cast<const unsigned char*>(key.data()), iv) == 1,
        "cbc init");
  std::string out(plain.size() + 16, '\0');
  int len = 0;
  int fin = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  check(EVP_EncryptUpdate(ctx, o, &len, reinterpret_cast<const unsigned char*>(plain.data()),
                          static_cast<int>(plain.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, o + len, &fin) == 1,
        "cbc");
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(len + fin));
  return out;
}

// `size` zero bytes into `path`: a sparse file, or (with a key) their AES-256-CBC encryption
// with PKCS#7 padding, streamed in 1 MiB chunks so gigabytes never sit in memory.
void write_filler(const fs::path& path, std::uint64_t size, const std::string* key) {
  fs::create_directories(path.parent_path());
  if (key == nullptr) {
    { std::ofstream touch(path, std::ios::binary | std::ios::trunc); }
    fs::resize_file(path, size);
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const unsigned char iv[16] = {};
  check(EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr,
                           reinterpret_cast<const unsigned char*>(key->data()), iv) == 1,
        "cbc init");
  constexpr std::size_t kChunk = 1 << 20;
  const std::vector<unsigned char> zeros(kChunk, 0);
  std::vector<unsigned char> buf(kChunk + 16);
  for (std::uint64_t left = size; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
    int len = 0;
    check(EVP_EncryptUpdate(ctx, buf.data(), &len, zeros.data(), static_cast<int>(n)) == 1,
          "cbc");
    out.write(reinterpret_cast<const char*>(buf.data()), len);
    left -= n;
  }
  int fin = 0;
  check(EVP_EncryptFinal_ex(ctx, buf.data(), &fin) == 1, "cbc final");
  out.write(reinterpret_cast<const char*>(buf.data()), fin);
  EVP_CIPHER_CTX_free(ctx);
  check(static_cast<bool>(out), "write filler");
}

std::string le32(std::uint32_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF),
          static_cast<char>((v >> 16) & 0xFF), static_cast<char>(v >> 24)};
}

void tlv(std::string& out, const char* tag, const std::string& value) {
  out.append(tag, 4);
  const auto n = static_cast<std::uint32_t>(value.size());
  out += {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xFF),
          static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
  out += value;
}

void tlv32(std::string& out, const char* tag, std::uint32_t v) {
  tlv(out, tag, {static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xFF),
                 static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)});
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "sqlite";
    sqlite3_free(err);
    throw std::runtime_error("ios_backup_builder: " + msg);
  }
}

std::string write_bplist(pl::Value v) {
  auto bytes = pl::write_binary(v);
  check(bytes.has_value(), "plist writer");
  return *bytes;
}

pl::Bytes as_bytes(const std::string& s) { return pl::Bytes(s.begin(), s.end()); }

}  // namespace

IosBackupBuilder::IosBackupBuilder(std::uint64_t seed) : rng_(seed) {}

std::string IosBackupBuilder::file_id(const std::string& domain, const std::string& relative_path) {
  return digest(domain + "-" + relative_path, EVP_sha1());
}

std::string IosBackupBuilder::random_bytes(std::size_t n) {
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng_() & 0xFF);
  return out;
}

std::string IosBackupBuilder::add_file(const std::string& domain, const std::string& relative_path,
                                       std::string content, const BackupFileOptions& options) {
  entries_.push_back(Entry{domain, relative_path, 1, std::move(content), options, std::nullopt,
                           std::nullopt});
  return file_id(domain, relative_path);
}

std::string IosBackupBuilder::add_filler_file(const std::string& domain,
                                              const std::string& relative_path,
                                              std::uint64_t size,
                                              const BackupFileOptions& options) {
  entries_.push_back(Entry{domain, relative_path, 1, {}, options, std::nullopt, size});
  return file_id(domain, relative_path);
}

std::string IosBackupBuilder::add_directory(const std::string& domain,
                                            const std::string& relative_path) {
  BackupFileOptions o;
  o.mode = 040755;
  o.protection_class = 0;
  entries_.push_back(Entry{domain, relative_path, 2, {}, o, std::nullopt, std::nullopt});
  return file_id(domain, relative_path);
}

std::string IosBackupBuilder::add_symlink(const std::string& domain,
                                          const std::string& relative_path,
                                          const std::string& target) {
  BackupFileOptions o;
  o.mode = 0120755;
  o.protection_class = 0;
  entries_.push_back(Entry{domain, relative_path, 4, {}, o, target, std::nullopt});
  return file_id(domain, relative_path);
}

void IosBackupBuilder::set_encrypted(std::string password, BackupEncryption options) {
  password_ = std::move(password);
  encryption_ = options;
}

std::string IosBackupBuilder::add_orphan_blob(std::string content) {
  const std::string id = digest("orphan-" + std::to_string(orphans_.size()), EVP_sha1());
  orphans_.emplace_back(id, std::move(content));
  return id;
}

fs::path IosBackupBuilder::write(const fs::path& dir) {
  fs::create_directories(dir);
  const bool encrypted = password_.has_value();

  // Keys: class keys wrapped by the passcode key, Manifest.db key wrapped by class 4.
  std::map<std::uint32_t, std::string> class_keys;
  std::string keybag;
  std::string manifest_key_plain;
  std::string manifest_key_field;
  if (encrypted) {
    const std::string salt = random_bytes(20);
    const std::string dpsl = random_bytes(20);
    const std::string kek =
        encryption_.pre_10_2
            ? pbkdf2(*password_, salt, encryption_.iter, EVP_sha1())
            : pbkdf2(pbkdf2(*password_, dpsl, encryption_.dpic, EVP_sha256()), salt,
                     encryption_.iter, EVP_sha1());
    tlv32(keybag, "VERS", 5);
    tlv32(keybag, "TYPE", 1);
    tlv(keybag, "UUID", random_bytes(16));
    tlv(keybag, "HMCK", random_bytes(40));
    tlv32(keybag, "WRAP", 0);
    tlv(keybag, "SALT", salt);
    tlv32(keybag, "ITER", encryption_.iter);
    if (!encryption_.pre_10_2) {
      tlv32(keybag, "DPWT", 1);
      tlv32(keybag, "DPIC", encryption_.dpic);
      tlv(keybag, "DPSL", dpsl);
    }
    for (std::uint32_t cls = 1; cls <= 11; ++cls) {
      class_keys[cls] = random_bytes(32);
      tlv(keybag, "UUID", random_bytes(16));
      tlv32(keybag, "CLAS", cls);
      tlv32(keybag, "WRAP", 2);
      tlv32(keybag, "KTYP", 0);
      tlv(keybag, "WPKY", aes_wrap(kek, class_keys[cls]));
    }
    if (!encryption_.pre_10_2) {
      manifest_key_plain = random_bytes(32);
      manifest_key_field = le32(4) + aes_wrap(class_keys[4], manifest_key_plain);
    }
  }

  // Content blobs and Manifest rows.
  struct Row {
    std::string id, domain, path;
    std::int64_t flags;
    std::string blob;
  };
  std::vector<Row> rows;
  std::int64_t inode = 1000;
  for (const Entry& e : entries_) {
    const std::string id = file_id(e.domain, e.relative_path);
    MbFileSpec spec;
    spec.relative_path = e.relative_path;
    spec.mode = e.options.mode;
    spec.protection_class = e.options.protection_class;
    spec.size = e.options.recorded_size.value_or(
        static_cast<std::int64_t>(e.filler_size.value_or(e.content.size())));
    spec.birth = spec.last_modified = spec.last_status_change = kFixedTime;
    spec.inode = ++inode;
    spec.target = e.target;
    std::string stored = e.content;
    std::string key;
    if (e.flags == 1 && encrypted) {
      key = random_bytes(32);
      const auto cls = static_cast<std::uint32_t>(e.options.protection_class);
      check(class_keys.count(cls) == 1, "protection class outside 1..11");
      spec.encryption_key = le32(cls) + aes_wrap(class_keys[cls], key);
      if (!e.filler_size) stored = aes_cbc_encrypt(key, e.content);
    }
    if (e.flags == 1 && omitted_blobs_.count(id) == 0) {
      if (e.filler_size) {
        write_filler(dir / id.substr(0, 2) / id, *e.filler_size, encrypted ? &key : nullptr);
      } else {
        write_file(dir / id.substr(0, 2) / id, stored);
      }
    }
    rows.push_back(Row{id, e.domain, e.relative_path, e.flags, build_mbfile_blob(spec)});
  }
  for (const auto& [id, content] : orphans_) write_file(dir / id.substr(0, 2) / id, content);

  // Manifest.db, in WAL mode like the real one.
  const fs::path db_path = encrypted && !manifest_key_plain.empty() ? dir / ".Manifest.plain"
                                                                     : dir / "Manifest.db";
  fs::remove(db_path);
  sqlite3* db = nullptr;
  check(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK, "open Manifest.db");
  exec(db, "PRAGMA journal_mode=WAL;"
           "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags "
           "INTEGER, file BLOB);"
           "CREATE INDEX FilesDomainIdx ON Files(domain);"
           "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
           "CREATE INDEX FilesFlagsIdx ON Files(flags);"
           "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);");
  sqlite3_stmt* ins = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO Files VALUES (?,?,?,?,?)", -1, &ins, nullptr) ==
            SQLITE_OK,
        "prepare");
  const std::size_t wal_from = rows.size() - std::min(wal_rows_, rows.size());
  // One transaction (a commit per row made 300,000-row benchmark backups take minutes).
  exec(db, "BEGIN;");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (wal_rows_ > 0 && i == wal_from) {
      exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0;");
      sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      exec(db, "BEGIN;");
    }
    const Row& r = rows[i];
    sqlite3_bind_text(ins, 1, r.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, r.domain.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, r.path.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 4, r.flags);
    sqlite3_bind_blob(ins, 5, r.blob.data(), static_cast<int>(r.blob.size()), SQLITE_TRANSIENT);
    check(sqlite3_step(ins) == SQLITE_DONE, "insert");
    sqlite3_reset(ins);
  }
  exec(db, "COMMIT;");
  sqlite3_finalize(ins);
  sqlite3_close(db);
  if (!manifest_key_plain.empty()) {
    const std::string plain = read_file(db_path);
    fs::remove(db_path);
    write_file(dir / "Manifest.db", aes_cbc_encrypt(manifest_key_plain, plain));
  }
  if (truncate_manifest_) fs::resize_file(dir / "Manifest.db", *truncate_manifest_);

  // Root plists.
  const pl::Date date = pl::Date::from_unix(static_cast<double>(kFixedTime));
  if (!omit_info_) {
    pl::Dict info;
    info.set("Build Version", "18C66");
    info.set("Device Name", "Test iPhone");
    info.set("Display Name", "Test iPhone");
    info.set("GUID", "0123456789ABCDEF0123456789ABCDEF");
    info.set("Installed Applications", pl::Array{"com.apple.mobilesafari"});
    info.set("Last Backup Date", date);
    info.set("Product Type", "iPhone9,3");
    info.set("Product Version", product_version_);
    info.set("Serial Number", "F00TESTSERIAL");
    info.set("Target Identifier", udid_);
    info.set("Target Type", "Device");
    info.set("Unique Identifier", udid_);
    info.set("iTunes Version", "12.11");
    write_file(dir / "Info.plist", write_bplist(pl::Value(std::move(info))));
  }
  if (!omit_manifest_plist_) {
    pl::Dict lockdown;
    lockdown.set("ProductVersion", product_version_);
    lockdown.set("BuildVersion", "18C66");
    lockdown.set("ProductType", "iPhone9,3");
    lockdown.set("DeviceName", "Test iPhone");
    lockdown.set("SerialNumber", "F00TESTSERIAL");
    lockdown.set("UniqueDeviceID", udid_);
    pl::Dict m;
    if (encrypted) m.set("BackupKeyBag", as_bytes(keybag));
    if (!manifest_key_field.empty()) m.set("ManifestKey", as_bytes(manifest_key_field));
    m.set("Version", "10.0");
    m.set("Date", date);
    m.set("SystemDomainsVersion", "24.0");
    m.set("WasPasscodeSet", true);
    m.set("Lockdown", std::move(lockdown));
    m.set("Applications", pl::Dict());
    m.set("IsEncrypted", encrypted);
    std::string bytes = write_bplist(pl::Value(std::move(m)));
    if (corrupt_manifest_plist_) bytes.resize(bytes.size() / 2);
    write_file(dir / "Manifest.plist", bytes);
  }
  if (!omit_status_) {
    pl::Dict s;
    s.set("BackupState", "new");
    s.set("Date", date);
    s.set("IsFullBackup", false);
    s.set("SnapshotState", "finished");
    s.set("UUID", "11111111-2222-3333-4444-555555555555");
    s.set("Version", "3.3");
    write_file(dir / "Status.plist", write_bplist(pl::Value(std::move(s))));
  }
  return dir;
}

std::string hash_tree(const fs::path& dir) {
  std::vector<std::string> lines;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    lines.push_back(fs::relative(e.path(), dir).string() + " " +
                    digest(read_file(e.path()), EVP_sha256()));
  }
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

}  // namespace spyglass::testing
