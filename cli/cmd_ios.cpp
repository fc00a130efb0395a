// spyglass ios check-backup BACKUP -o OUT, ios extract-key BACKUP, ios decrypt-backup BACKUP -d
// DEST
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/core.h>

#include "artifacts/ios/ios_evidence.hpp"
#include "commands.hpp"
#include "scan/module_list.hpp"
#include "scan_command.hpp"
#include "sources/ios_backup/backup_keys.hpp"
#include "sources/ios_backup/decrypt.hpp"
#include "sources/ios_backup/locate.hpp"
#include "sources/ios_backup/secrets.hpp"
#include "support/output_dir.hpp"

namespace spyglass::cli {
namespace {

namespace fs = std::filesystem;
namespace ib = sources::ios_backup;

struct SecretArgs {
  std::string key_file;
  std::string password_file;
  std::string password_env;
};

void add_secret_options(CLI::App& cmd, SecretArgs& s) {
  cmd.add_option("--key-file", s.key_file,
                 "File holding the backup's 32-byte key as 64 hex characters (from "
                 "`spyglass ios extract-key`); skips the slow key derivation")
      ->type_name("FILE");
  cmd.add_option("--password-file", s.password_file, "File holding the backup password")
      ->type_name("FILE");
  cmd.add_option("--password-env", s.password_env,
                 "Environment variable holding the backup password. Without any of these, "
                 "the password is asked on the terminal (never give it as an argument)")
      ->type_name("VAR");
}

ib::SecretOptions secret_options(const SecretArgs& s) {
  ib::SecretOptions o;
  if (!s.key_file.empty()) o.key_file = s.key_file;
  if (!s.password_file.empty()) o.password_file = s.password_file;
  if (!s.password_env.empty()) o.password_env = s.password_env;
  return o;
}

// The backup folder, with a clear message for what is not one.
Result<fs::path> backup_root(const std::string& path) {
  auto root = ib::locate_backup(path);
  if (!root) return root;
  std::error_code ec;
  if (!fs::is_regular_file(*root / "Manifest.db", ec)) {
    if (fs::exists(*root / "Manifest.mbdb", ec)) {
      return make_error(ErrorCode::kUnsupported,
                        "backups from iOS < 10 (Manifest.mbdb) are not supported");
    }
    return make_error(ErrorCode::kNotFound, "Manifest.db is missing in " + root->string() +
                                                ": not a complete iOS backup");
  }
  return root;
}

// Derives the key once, right away: a wrong password is reported before any scanning, and
// the modules then open the backup with the key (no second derivation).
Result<std::optional<ib::Secret>> unlock(const fs::path& root, const SecretArgs& args) {
  auto manifest = ib::read_root_plist(root / "Manifest.plist");
  if (!manifest) {
    return make_error(manifest.error().code,
                      manifest.error().message + " (it says whether the backup is encrypted)");
  }
  const auto* flag = manifest->get("IsEncrypted");
  if (!flag || !flag->as_bool().value_or(false)) return std::optional<ib::Secret>();
  auto secret = ib::obtain_secret(secret_options(args));
  if (!secret) {
    return make_error(secret.error().code, "the backup is encrypted: " + secret.error().message);
  }
  auto keys = ib::unlock_backup(*manifest, *secret);
  if (!keys) {
    if (keys.error().code == ErrorCode::kWrongPassword) {
      return make_error(ErrorCode::kWrongPassword,
                        secret->kind == ib::Secret::Kind::kKey
                            ? "wrong backup key: it does not unlock this backup's keybag"
                            : "wrong backup password: it does not unlock this backup's keybag");
    }
    return tl::unexpected(keys.error());
  }
  ib::Secret key;
  key.kind = ib::Secret::Kind::kKey;
  key.bytes = keys->passcode_key;
  return std::optional<ib::Secret>(std::move(key));
}

std::string hex(const ib::SecureBytes& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes.span()) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

Result<void> write_private(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(ErrorCode::kIo, "cannot create " + path.string() + ": " +
                                          std::strerror(errno) +
                                          (errno == EEXIST ? " (it exists; not overwritten)" : ""));
  }
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (!ok) return make_error(ErrorCode::kIo, "cannot write " + path.string());
  return {};
}

int fail(const Error& e) {
  fmt::print(stderr, "error: {}\n", e.message);
  return 2;
}

void register_check_backup(CLI::App& ios, int& exit_code, const std::vector<std::string>& argv) {
  struct Args {
    ScanArgs scan;
    SecretArgs secret;
  };
  auto args = std::make_shared<Args>();
  args->scan.argv = argv;
  auto* cmd = ios.add_subcommand(
      "check-backup",
      "Check an iTunes/Finder backup (plaintext or encrypted, decrypted on the fly: no "
      "plaintext copy is kept) for known spyware indicators and traces. Exit 1 if anything "
      "was detected, else 2 if the scan was incomplete, else 0.");
  cmd->add_option("BACKUP", args->scan.evidence,
                  "The backup folder (holding Manifest.db), or its parent folder")
      ->required();
  add_scan_options(*cmd, args->scan);
  add_secret_options(*cmd, args->secret);
  cmd->callback([args, &exit_code] {
    auto root = backup_root(args->scan.evidence);
    if (!root) {
      exit_code = fail(root.error());
      return;
    }
    auto secret = unlock(*root, args->secret);
    if (!secret) {
      exit_code = fail(secret.error());
      return;
    }
    // The backup folder itself, also when the user named its parent: the files the scan
    // read are relative to it, and manifest.json must list them from the same root.
    args->scan.evidence = *root;
    artifacts::ios::BackupEvidenceOptions eo;
    // Decrypted bytes only ever live in a private folder inside OUT (or the temp folder
    // without -o), removed below when the evidence is released.
    eo.scratch_parent = args->scan.output;
    eo.secret = std::move(*secret);
    auto evidence = artifacts::ios::BackupEvidence::create(*root, std::move(eo));
    if (!evidence) {
      exit_code = fail(evidence.error());
      return;
    }
    args->scan.source = *evidence;
    exit_code = run_scan_command(args->scan, scan::make_builtin_modules(scan::Family::kIos));
    if (args->scan.verbose) {
      for (const std::string& f : (*evidence)->files_read()) {
        fmt::print(stderr, "read from the backup: {}\n", f);
      }
    }
    args->scan.source.reset();
    evidence->reset();  // removes the scratch folder and every decrypted byte in it
  });
}

void register_extract_key(CLI::App& ios, int& exit_code) {
  struct Args {
    std::string backup;
    std::string output;
    SecretArgs secret;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = ios.add_subcommand(
      "extract-key",
      "Derive an encrypted backup's 32-byte key from its password and print it as 64 hex "
      "characters (or write it to a file, mode 0600). The key opens the backup without the "
      "slow password derivation: treat it as the password.");
  cmd->add_option("BACKUP", args->backup, "The backup folder")->required();
  cmd->add_option("-o,--output", args->output,
                  "Write the key to this new file (64 hex characters, no newline, mode 0600)")
      ->type_name("FILE");
  add_secret_options(*cmd, args->secret);
  cmd->callback([args, &exit_code] {
    auto root = ib::locate_backup(args->backup);
    if (!root) {
      exit_code = fail(root.error());
      return;
    }
    if (!args->output.empty() && path_is_within(args->output, *root)) {
      exit_code = fail(
          Error(ErrorCode::kInvalidArgument, "the key file may not be written inside the backup"));
      return;
    }
    auto secret = ib::obtain_secret(secret_options(args->secret));
    if (!secret) {
      exit_code = fail(secret.error());
      return;
    }
    auto key = ib::extract_key(*root, *secret);
    if (!key) {
      exit_code = fail(key.error().code == ErrorCode::kWrongPassword
                           ? Error(ErrorCode::kWrongPassword,
                                   "wrong backup password: it does not unlock this backup")
                           : key.error());
      return;
    }
    const std::string text = hex(*key);
    if (args->output.empty()) {
      fmt::print("{}\n", text);
    } else if (auto w = write_private(args->output, text); !w) {
      exit_code = fail(w.error());
      return;
    } else {
      fmt::print(stderr, "key written to {}\n", args->output);
    }
    exit_code = 0;
  });
}

void register_decrypt_backup(CLI::App& ios, int& exit_code) {
  struct Args {
    std::string backup;
    std::string dest;
    SecretArgs secret;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = ios.add_subcommand(
      "decrypt-backup",
      "Write a decrypted copy of an encrypted backup to DEST (absent or empty, never inside "
      "the backup). check-backup does not need it: it decrypts on the fly.");
  cmd->add_option("BACKUP", args->backup, "The backup folder")->required();
  cmd->add_option("-d,--destination", args->dest, "Where the decrypted copy goes")
      ->required()
      ->type_name("DEST");
  add_secret_options(*cmd, args->secret);
  cmd->callback([args, &exit_code] {
    auto root = ib::locate_backup(args->backup);
    if (!root) {
      exit_code = fail(root.error());
      return;
    }
    if (path_is_within(args->dest, *root) || path_is_within(*root, args->dest)) {
      exit_code = fail(Error(ErrorCode::kInvalidArgument,
                             "the destination may not be inside the backup (nor hold it)"));
      return;
    }
    std::error_code ec;
    if (fs::exists(args->dest, ec) && !fs::is_empty(args->dest, ec)) {
      exit_code = fail(
          Error(ErrorCode::kInvalidArgument, "the destination folder is not empty: " + args->dest));
      return;
    }
    auto secret = ib::obtain_secret(secret_options(args->secret));
    if (!secret) {
      exit_code = fail(secret.error());
      return;
    }
    const fs::path scratch = fs::path(args->dest) / ".spyglass-scratch";
    auto report = ib::decrypt_backup(*root, *secret, args->dest, scratch);
    fs::remove_all(scratch, ec);
    if (!report) {
      exit_code = fail(report.error().code == ErrorCode::kWrongPassword
                           ? Error(ErrorCode::kWrongPassword,
                                   "wrong backup password: it does not unlock this backup")
                           : report.error());
      return;
    }
    for (const auto& d : report->diagnostics) fmt::print(stderr, "warning: {}\n", d.message);
    fmt::print("decrypted {} file(s), {} byte(s) into {}\n", report->files, report->bytes,
               args->dest);
    exit_code = 0;
  });
}

}  // namespace

void register_ios(CLI::App& app, int& exit_code, const std::vector<std::string>& argv) {
  auto* ios = app.add_subcommand("ios", "iOS evidence: iTunes/Finder backups");
  ios->require_subcommand(1);
  register_check_backup(*ios, exit_code, argv);
  register_extract_key(*ios, exit_code);
  register_decrypt_backup(*ios, exit_code);
}

}  // namespace spyglass::cli
