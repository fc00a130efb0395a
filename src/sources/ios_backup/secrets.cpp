#include "sources/ios_backup/secrets.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace spyglass::sources::ios_backup {
namespace {

constexpr std::size_t kMaxSecretFile = 4096;

Result<SecureBytes> read_small_file(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, std::string("cannot read ") + what + " " + path.string());
  std::string buf(kMaxSecretFile + 1, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
  const auto n = static_cast<std::size_t>(in.gcount());
  SecureBytes out(reinterpret_cast<const std::uint8_t*>(buf.data()), std::min(n, kMaxSecretFile));
  OPENSSL_cleanse(buf.data(), buf.size());
  if (n > kMaxSecretFile) {
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + " is larger than 4 KiB");
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<SecureBytes> prompt_password() {
  std::FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return make_error(ErrorCode::kIo, "cannot open the terminal");
  const int fd = fileno(tty);
  termios old {};
  tcgetattr(fd, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  std::fputs("Backup password: ", tty);
  std::fflush(tty);
  tcsetattr(fd, TCSAFLUSH, &quiet);
  std::string line;
  for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty)) {
    line.push_back(static_cast<char>(c));
  }
  tcsetattr(fd, TCSAFLUSH, &old);
  std::fputs("\n", tty);
  std::fclose(tty);
  SecureBytes out(line);
  OPENSSL_cleanse(line.data(), line.size());
  return out;
}

}  // namespace

Result<SecureBytes> parse_hex_key(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.size() != 64) {
    return make_error(ErrorCode::kInvalidArgument, "a backup key is 64 hexadecimal characters");
  }
  SecureBytes key(32);
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return make_error(ErrorCode::kInvalidArgument, "the backup key has a non-hex character");
    }
    key.data()[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return key;
}

Result<Secret> obtain_secret(const SecretOptions& options) {
  if (options.key_file) {
    auto text = read_small_file(*options.key_file, "key file");
    if (!text) return tl::unexpected(text.error());
    auto key = parse_hex_key(text->view());
    if (!key) return tl::unexpected(key.error());
    return Secret{Secret::Kind::kKey, std::move(*key)};
  }
  if (options.password_file) {
    auto text = read_small_file(*options.password_file, "password file");
    if (!text) return tl::unexpected(text.error());
    std::string_view v = text->view();
    if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    return Secret{Secret::Kind::kPassword, SecureBytes(v)};
  }
  if (options.password_env) {
    const char* value = std::getenv(options.password_env->c_str());
    if (value == nullptr) {
      return make_error(ErrorCode::kInvalidArgument,
                        "environment variable " + *options.password_env + " is not set");
    }
    return Secret{Secret::Kind::kPassword, SecureBytes(std::string_view(value))};
  }
  if (options.allow_prompt && ::isatty(STDIN_FILENO) == 1) {
    auto pw = prompt_password();
    if (!pw) return tl::unexpected(pw.error());
    return Secret{Secret::Kind::kPassword, std::move(*pw)};
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "the backup is encrypted: give its password with --password-file FILE or "
                    "--password-env VAR, its key with --key-file FILE, or run on a terminal to "
                    "be asked");
}

}  // namespace spyglass::sources::ios_backup
