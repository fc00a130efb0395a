#include "core/manifest/manifest.hpp"

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include <simdjson.h>

#include "core/manifest/hashing.hpp"
#include "core/manifest/redact.hpp"
#include "support/version.hpp"

namespace spyglass::manifest {

namespace fs = std::filesystem;

bool operator==(const ToolInfo& a, const ToolInfo& b) {
  return a.name == b.name && a.version == b.version && a.build_id == b.build_id;
}
bool operator==(const OsInfo& a, const OsInfo& b) {
  return a.sysname == b.sysname && a.release == b.release && a.machine == b.machine;
}
bool operator==(const Manifest& a, const Manifest& b) {
  return a.version == b.version && a.tool == b.tool && a.started == b.started &&
         a.finished == b.finished && a.command == b.command && a.os == b.os &&
         a.evidence == b.evidence && a.indicators == b.indicators && a.outputs == b.outputs &&
         a.history == b.history;
}

OsInfo current_os_info() {
  OsInfo os;
  struct utsname u {};
  if (::uname(&u) == 0) {
    os.sysname = u.sysname;
    os.release = u.release;
    os.machine = u.machine;
  }
  return os;
}

ToolInfo current_tool_info() {
  ToolInfo tool;
  tool.version = std::string(spyglass::version());
  tool.build_id = std::string(spyglass::build_id());
  return tool;
}

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  if (path.find('\0') != std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

namespace {

// ---- Writing ---------------------------------------------------------------------------

// Length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629: no overlongs, surrogates or
// code points above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return len;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A JSON string literal; invalid UTF-8 becomes U+FFFD so the file is always valid JSON.
std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    const char c = s[i++];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          static constexpr char kDigits[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kDigits[(static_cast<unsigned char>(c) >> 4) & 0x0f]);
          out.push_back(kDigits[static_cast<unsigned char>(c) & 0x0f]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += quote(items[i]);
  }
  out += "]";
  return out;
}

// One line per file keeps the manifest diffable and greppable next to `sha256sum` output.
std::string file_entry(const FileEntry& f) {
  std::string out = "{\"path\": " + quote(f.path);
  if (!is_valid_utf8(f.path)) out += ", \"path_hex\": " + quote(to_hex(f.path));
  if (f.size) out += ", \"size\": " + std::to_string(*f.size);
  if (!f.sha256.empty()) out += ", \"sha256\": " + quote(f.sha256);
  if (!f.previous_sha256.empty()) out += ", \"previous_sha256\": " + quote(f.previous_sha256);
  if (!f.error.empty()) out += ", \"error\": " + quote(f.error);
  out += "}";
  return out;
}

std::string file_list(const std::vector<FileEntry>& files, std::string_view indent) {
  if (files.empty()) return "[]";
  std::string out = "[\n";
  for (std::size_t i = 0; i < files.size(); ++i) {
    out += std::string(indent) + "  " + file_entry(files[i]);
    out += i + 1 < files.size() ? ",\n" : "\n";
  }
  out += std::string(indent) + "]";
  return out;
}

void sort_files(std::vector<FileEntry>& files) {
  std::sort(files.begin(), files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
}

// ---- Parsing -----------------------------------------------------------------------------

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

tl::unexpected<Error> malformed(std::string_view where, std::string_view what) {
  return make_error(ErrorCode::kMalformed,
                    "manifest.json: " + std::string(where) + ": " + std::string(what));
}

// Walks an object's members once: rejects duplicates and unknown keys, so that a parsed
// manifest holds everything the file says and re-serialising it loses nothing.
class Fields {
 public:
  Fields(object obj, std::string where) : where_(std::move(where)) {
    for (auto field : obj) {
      std::string key(field.key);
      if (!seen_.emplace(key, field.value).second) {
        error_ = "duplicate key \"" + key + "\"";
        return;
      }
    }
  }
  const std::string& where() const { return where_; }

  Result<void> check(std::initializer_list<std::string_view> known) const {
    if (!error_.empty()) return malformed(where_, error_);
    for (const auto& [key, value] : seen_) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return malformed(where_, "unknown key \"" + key + "\"");
      }
    }
    return {};
  }
  std::optional<element> get(std::string_view key) const {
    auto it = seen_.find(std::string(key));
    if (it == seen_.end()) return std::nullopt;
    return it->second;
  }
  Result<element> require(std::string_view key) const {
    auto v = get(key);
    if (!v) return malformed(where_, "missing \"" + std::string(key) + "\"");
    return *v;
  }
  Result<std::string> string(std::string_view key) const {
    auto v = require(key);
    if (!v) return tl::unexpected(v.error());
    std::string_view s;
    if (v->get_string().get(s) != simdjson::SUCCESS) {
      return malformed(where_, "\"" + std::string(key) + "\" must be a string");
    }
    return std::string(s);
  }
  Result<std::string> optional_string(std::string_view key) const {
    if (!get(key)) return std::string();
    return string(key);
  }
  Result<std::uint64_t> uint(std::string_view key) const {
    auto v = require(key);
    if (!v) return tl::unexpected(v.error());
    std::uint64_t n = 0;
    if (v->get_uint64().get(n) != simdjson::SUCCESS) {
      return malformed(where_, "\"" + std::string(key) + "\" must be a non-negative integer");
    }
    return n;
  }

 private:
  std::string where_;
  std::map<std::string, element> seen_;
  std::string error_;
};

Result<object> as_object(element e, std::string_view where) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return malformed(where, "must be an object");
  return o;
}

Result<simdjson::dom::array> as_array(element e, std::string_view where) {
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return malformed(where, "must be an array");
  return a;
}

Result<std::vector<std::string>> parse_string_array(element e, const std::string& where) {
  auto arr = as_array(e, where);
  if (!arr) return tl::unexpected(arr.error());
  std::vector<std::string> out;
  for (element item : *arr) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) {
      return malformed(where, "items must be strings");
    }
    out.emplace_back(s);
  }
  return out;
}

Result<std::string> parse_time(const Fields& f, std::string_view key) {
  auto s = f.string(key);
  if (!s) return s;
  if (!parse_iso_time(*s)) {
    return malformed(f.where(), "\"" + std::string(key) + "\" is not an ISO 8601 time");
  }
  return s;
}

bool hex_decode(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return true;
}

enum class EntryKind { kFile, kHistoryFile };

Result<FileEntry> parse_file_entry(element e, const std::string& where, EntryKind kind) {
  auto o = as_object(e, where);
  if (!o) return tl::unexpected(o.error());
  Fields f(*o, where);
  Result<void> known =
      kind == EntryKind::kFile
          ? f.check({"path", "path_hex", "size", "sha256", "error"})
          : f.check({"path", "path_hex", "size", "sha256", "previous_sha256", "error"});
  if (!known) return tl::unexpected(known.error());
  FileEntry entry;
  auto path = f.string("path");
  if (!path) return tl::unexpected(path.error());
  entry.path = std::move(*path);
  if (f.get("path_hex")) {
    auto hex = f.string("path_hex");
    if (!hex) return tl::unexpected(hex.error());
    if (!hex_decode(*hex, entry.path)) return malformed(where, "\"path_hex\" is not hex");
  }
  if (!is_safe_relative_path(entry.path)) {
    return malformed(where, "unsafe path " + quote(entry.path) +
                                " (absolute, empty, or with . or .. components)");
  }
  auto error = f.optional_string("error");
  if (!error) return tl::unexpected(error.error());
  entry.error = std::move(*error);
  if (entry.error.empty()) {
    auto size = f.uint("size");
    if (!size) return tl::unexpected(size.error());
    entry.size = *size;
    auto sha = f.string("sha256");
    if (!sha) return tl::unexpected(sha.error());
    if (!is_sha256_hex(*sha)) return malformed(where, "\"sha256\" is not 64 lowercase hex digits");
    entry.sha256 = std::move(*sha);
  } else if (f.get("size") || f.get("sha256")) {
    return malformed(where, "an entry with \"error\" has no size or sha256");
  }
  if (f.get("previous_sha256")) {
    auto prev = f.string("previous_sha256");
    if (!prev) return tl::unexpected(prev.error());
    if (!is_sha256_hex(*prev)) {
      return malformed(where, "\"previous_sha256\" is not 64 lowercase hex digits");
    }
    entry.previous_sha256 = std::move(*prev);
  }
  return entry;
}

Result<std::vector<FileEntry>> parse_file_list(element e, const std::string& where,
                                               EntryKind kind) {
  auto arr = as_array(e, where);
  if (!arr) return tl::unexpected(arr.error());
  std::vector<FileEntry> out;
  std::set<std::string> paths;
  std::size_t index = 0;
  for (element item : *arr) {
    auto entry = parse_file_entry(item, where + "[" + std::to_string(index++) + "]", kind);
    if (!entry) return tl::unexpected(entry.error());
    // A path listed twice could carry two hashes, one of which verify would ignore.
    if (!paths.insert(entry->path).second) {
      return malformed(where, "path " + quote(entry->path) + " is listed twice");
    }
    out.push_back(std::move(*entry));
  }
  return out;
}

Result<IndicatorEntry> parse_indicator(element e, const std::string& where) {
  auto o = as_object(e, where);
  if (!o) return tl::unexpected(o.error());
  Fields f(*o, where);
  if (auto known = f.check({"name", "path", "size", "sha256"}); !known) {
    return tl::unexpected(known.error());
  }
  IndicatorEntry entry;
  auto name = f.string("name");
  auto path = f.string("path");
  auto size = f.uint("size");
  auto sha = f.string("sha256");
  if (!name) return tl::unexpected(name.error());
  if (!path) return tl::unexpected(path.error());
  if (!size) return tl::unexpected(size.error());
  if (!sha) return tl::unexpected(sha.error());
  if (!is_sha256_hex(*sha)) return malformed(where, "\"sha256\" is not 64 lowercase hex digits");
  entry.name = std::move(*name);
  entry.path = std::move(*path);
  entry.size = *size;
  entry.sha256 = std::move(*sha);
  return entry;
}

Result<Manifest> parse_root(element root) {
  auto o = as_object(root, "top level");
  if (!o) return tl::unexpected(o.error());
  Fields f(*o, "top level");
  // The version is checked before unknown keys so a newer manifest gets the right message.
  auto version = f.uint("spyglass_manifest_version");
  if (!version) return tl::unexpected(version.error());
  if (*version != static_cast<std::uint64_t>(kManifestVersion)) {
    return make_error(ErrorCode::kUnsupported,
                      "manifest.json: spyglass_manifest_version " + std::to_string(*version) +
                          " is not supported (this spyglass reads version 1)");
  }
  if (auto known = f.check({"spyglass_manifest_version", "tool", "started", "finished", "command",
                            "os", "evidence", "indicators", "outputs", "history"});
      !known) {
    return tl::unexpected(known.error());
  }
  Manifest m;
  m.version = kManifestVersion;

  auto tool_el = f.require("tool");
  if (!tool_el) return tl::unexpected(tool_el.error());
  auto tool_obj = as_object(*tool_el, "tool");
  if (!tool_obj) return tl::unexpected(tool_obj.error());
  Fields tool(*tool_obj, "tool");
  if (auto known = tool.check({"name", "version", "build_id"}); !known) {
    return tl::unexpected(known.error());
  }
  auto tool_name = tool.string("name");
  auto tool_version = tool.string("version");
  auto tool_build = tool.string("build_id");
  if (!tool_name) return tl::unexpected(tool_name.error());
  if (!tool_version) return tl::unexpected(tool_version.error());
  if (!tool_build) return tl::unexpected(tool_build.error());
  m.tool = {std::move(*tool_name), std::move(*tool_version), std::move(*tool_build)};

  auto started = parse_time(f, "started");
  if (!started) return tl::unexpected(started.error());
  auto finished = parse_time(f, "finished");
  if (!finished) return tl::unexpected(finished.error());
  m.started = std::move(*started);
  m.finished = std::move(*finished);

  auto command_el = f.require("command");
  if (!command_el) return tl::unexpected(command_el.error());
  auto command = parse_string_array(*command_el, "command");
  if (!command) return tl::unexpected(command.error());
  m.command = std::move(*command);

  auto os_el = f.require("os");
  if (!os_el) return tl::unexpected(os_el.error());
  auto os_obj = as_object(*os_el, "os");
  if (!os_obj) return tl::unexpected(os_obj.error());
  Fields os(*os_obj, "os");
  if (auto known = os.check({"sysname", "release", "machine"}); !known) {
    return tl::unexpected(known.error());
  }
  auto sysname = os.string("sysname");
  auto release = os.string("release");
  auto machine = os.string("machine");
  if (!sysname) return tl::unexpected(sysname.error());
  if (!release) return tl::unexpected(release.error());
  if (!machine) return tl::unexpected(machine.error());
  m.os = {std::move(*sysname), std::move(*release), std::move(*machine)};

  auto ev_el = f.require("evidence");
  if (!ev_el) return tl::unexpected(ev_el.error());
  auto ev_obj = as_object(*ev_el, "evidence");
  if (!ev_obj) return tl::unexpected(ev_obj.error());
  Fields ev(*ev_obj, "evidence");
  if (auto known = ev.check({"root", "hash_all", "files"}); !known) {
    return tl::unexpected(known.error());
  }
  auto root_path = ev.string("root");
  if (!root_path) return tl::unexpected(root_path.error());
  m.evidence.root = std::move(*root_path);
  auto hash_all = ev.require("hash_all");
  if (!hash_all) return tl::unexpected(hash_all.error());
  if (hash_all->get_bool().get(m.evidence.hash_all) != simdjson::SUCCESS) {
    return malformed("evidence", "\"hash_all\" must be true or false");
  }
  auto ev_files_el = ev.require("files");
  if (!ev_files_el) return tl::unexpected(ev_files_el.error());
  auto ev_files = parse_file_list(*ev_files_el, "evidence.files", EntryKind::kFile);
  if (!ev_files) return tl::unexpected(ev_files.error());
  m.evidence.files = std::move(*ev_files);

  auto ind_el = f.require("indicators");
  if (!ind_el) return tl::unexpected(ind_el.error());
  auto ind_arr = as_array(*ind_el, "indicators");
  if (!ind_arr) return tl::unexpected(ind_arr.error());
  std::size_t index = 0;
  for (element item : *ind_arr) {
    auto entry = parse_indicator(item, "indicators[" + std::to_string(index++) + "]");
    if (!entry) return tl::unexpected(entry.error());
    m.indicators.push_back(std::move(*entry));
  }

  auto out_el = f.require("outputs");
  if (!out_el) return tl::unexpected(out_el.error());
  auto outputs = parse_file_list(*out_el, "outputs", EntryKind::kFile);
  if (!outputs) return tl::unexpected(outputs.error());
  m.outputs = std::move(*outputs);

  auto hist_el = f.require("history");
  if (!hist_el) return tl::unexpected(hist_el.error());
  auto hist_arr = as_array(*hist_el, "history");
  if (!hist_arr) return tl::unexpected(hist_arr.error());
  index = 0;
  for (element item : *hist_arr) {
    const std::string where = "history[" + std::to_string(index++) + "]";
    auto h_obj = as_object(item, where);
    if (!h_obj) return tl::unexpected(h_obj.error());
    Fields h(*h_obj, where);
    if (auto known = h.check({"action", "at", "command", "files"}); !known) {
      return tl::unexpected(known.error());
    }
    HistoryEntry entry;
    auto action = h.string("action");
    if (!action) return tl::unexpected(action.error());
    entry.action = std::move(*action);
    auto at = parse_time(h, "at");
    if (!at) return tl::unexpected(at.error());
    entry.at = std::move(*at);
    auto h_cmd_el = h.require("command");
    if (!h_cmd_el) return tl::unexpected(h_cmd_el.error());
    auto h_cmd = parse_string_array(*h_cmd_el, where + ".command");
    if (!h_cmd) return tl::unexpected(h_cmd.error());
    entry.command = std::move(*h_cmd);
    auto h_files_el = h.require("files");
    if (!h_files_el) return tl::unexpected(h_files_el.error());
    auto h_files = parse_file_list(*h_files_el, where + ".files", EntryKind::kHistoryFile);
    if (!h_files) return tl::unexpected(h_files.error());
    entry.files = std::move(*h_files);
    m.history.push_back(std::move(entry));
  }
  return m;
}

// ---- Files -------------------------------------------------------------------------------

// Replaces `path` atomically: a reader (or a crash) sees the old file or the new one.
Result<void> write_file_atomically(const fs::path& path, std::string_view content) {
  fs::path tmp = path;
  tmp += ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return make_error(ErrorCode::kIo, tmp.string() + ": " + std::strerror(errno));
  bool ok = true;
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  int err = ok ? 0 : errno;
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::kIo, path.string() + ": " + std::strerror(err));
  }
  return {};
}

FileEntry hash_entry(const fs::path& root, const std::string& rel, DigestCache* digests = nullptr) {
  FileEntry entry;
  entry.path = rel;
  if (!is_safe_relative_path(rel)) {
    entry.error = "unsafe path, not hashed";
    return entry;
  }
  if (digests != nullptr) {
    if (auto known = digests->lookup(root / rel)) {
      entry.size = known->size;
      entry.sha256 = std::move(known->sha256);
      return entry;
    }
  }
  // Symlinks inside evidence may point anywhere on the examiner's machine (an iOS dump's
  // absolute links resolve to the host), so they are recorded, never followed.
  auto digest = sha256_file(root / rel, FollowSymlinks::kNo);
  if (!digest) {
    entry.error = digest.error().message;
    // The message names the absolute path; the entry already names the file.
    const std::string prefix = (root / rel).string() + ": ";
    if (entry.error.rfind(prefix, 0) == 0) entry.error.erase(0, prefix.size());
    return entry;
  }
  entry.size = digest->size;
  entry.sha256 = std::move(digest->sha256);
  return entry;
}

struct HashJob {
  fs::path root;
  std::string rel;
};

// Hashes every job on all cores (a scan's outputs and evidence run to gigabytes); the
// entries come back in the jobs' order whatever thread hashed them.
std::vector<FileEntry> hash_entries(const std::vector<HashJob>& jobs, DigestCache* digests) {
  std::vector<FileEntry> out(jobs.size());
  // Largest first, so that no thread is left with a big file at the end.
  std::vector<std::pair<std::uintmax_t, std::size_t>> order;
  order.reserve(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    std::error_code ec;
    const auto status = fs::symlink_status(jobs[i].root / jobs[i].rel, ec);
    const std::uintmax_t size =
        fs::is_regular_file(status) ? fs::file_size(jobs[i].root / jobs[i].rel, ec) : 0;
    order.emplace_back(ec ? 0 : size, i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t k = next++; k < order.size(); k = next++) {
      const std::size_t i = order[k].second;
      out[i] = hash_entry(jobs[i].root, jobs[i].rel, digests);
    }
  };
  const unsigned threads =
      std::clamp<unsigned>(std::thread::hardware_concurrency(), 1U, 8U);
  if (threads <= 1 || jobs.size() <= 1) {
    worker();
    return out;
  }
  std::vector<std::jthread> pool;
  for (unsigned t = 0; t < std::min<std::size_t>(threads, jobs.size()); ++t) {
    pool.emplace_back(worker);
  }
  pool.clear();  // joins
  return out;
}

Result<std::vector<std::string>> list_files_under(const fs::path& dir, bool skip_manifest) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return make_error(ErrorCode::kIo, dir.string() + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const auto status = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(status)) continue;
    std::string rel = it->path().lexically_relative(dir).generic_string();
    if (skip_manifest && (rel == kManifestFileName || rel == kSignatureFileName)) continue;
    out.push_back(std::move(rel));
  }
  if (ec) return make_error(ErrorCode::kIo, dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::optional<fs::path>> sign_or_clear(const fs::path& out_dir, std::string_view bytes,
                                              const std::optional<SecretKey>& key) {
  const fs::path sig_path = out_dir / kSignatureFileName;
  if (!key) {
    // A signature over an earlier manifest would make verify fail for the wrong reason.
    std::error_code ec;
    fs::remove(sig_path, ec);
    if (ec) return make_error(ErrorCode::kIo, sig_path.string() + ": " + ec.message());
    return std::optional<fs::path>();
  }
  auto written = write_file_atomically(sig_path, sign_detached(bytes, *key));
  if (!written) return tl::unexpected(written.error());
  return std::optional<fs::path>(sig_path);
}

}  // namespace

std::string serialize_manifest(const Manifest& in) {
  Manifest m = in;
  sort_files(m.evidence.files);
  sort_files(m.outputs);
  std::sort(m.indicators.begin(), m.indicators.end(),
            [](const IndicatorEntry& a, const IndicatorEntry& b) {
              return std::tie(a.name, a.path) < std::tie(b.name, b.path);
            });
  for (auto& h : m.history) sort_files(h.files);

  std::string s = "{\n";
  s += "  \"spyglass_manifest_version\": " + std::to_string(m.version) + ",\n";
  s += "  \"tool\": {\"name\": " + quote(m.tool.name) + ", \"version\": " + quote(m.tool.version) +
       ", \"build_id\": " + quote(m.tool.build_id) + "},\n";
  s += "  \"started\": " + quote(m.started) + ",\n";
  s += "  \"finished\": " + quote(m.finished) + ",\n";
  s += "  \"command\": " + string_array(m.command) + ",\n";
  s += "  \"os\": {\"sysname\": " + quote(m.os.sysname) + ", \"release\": " + quote(m.os.release) +
       ", \"machine\": " + quote(m.os.machine) + "},\n";
  s += "  \"evidence\": {\n";
  s += "    \"root\": " + quote(m.evidence.root) + ",\n";
  s += std::string("    \"hash_all\": ") + (m.evidence.hash_all ? "true" : "false") + ",\n";
  s += "    \"files\": " + file_list(m.evidence.files, "    ") + "\n";
  s += "  },\n";
  s += "  \"indicators\": ";
  if (m.indicators.empty()) {
    s += "[]";
  } else {
    s += "[\n";
    for (std::size_t i = 0; i < m.indicators.size(); ++i) {
      const auto& ind = m.indicators[i];
      s += "    {\"name\": " + quote(ind.name) + ", \"path\": " + quote(ind.path) +
           ", \"size\": " + std::to_string(ind.size) + ", \"sha256\": " + quote(ind.sha256) + "}";
      s += i + 1 < m.indicators.size() ? ",\n" : "\n";
    }
    s += "  ]";
  }
  s += ",\n";
  s += "  \"outputs\": " + file_list(m.outputs, "  ") + ",\n";
  s += "  \"history\": ";
  if (m.history.empty()) {
    s += "[]";
  } else {
    s += "[\n";
    for (std::size_t i = 0; i < m.history.size(); ++i) {
      const auto& h = m.history[i];
      s += "    {\n";
      s += "      \"action\": " + quote(h.action) + ",\n";
      s += "      \"at\": " + quote(h.at) + ",\n";
      s += "      \"command\": " + string_array(h.command) + ",\n";
      s += "      \"files\": " + file_list(h.files, "      ") + "\n";
      s += "    }";
      s += i + 1 < m.history.size() ? ",\n" : "\n";
    }
    s += "  ]";
  }
  s += "\n}\n";
  return s;
}

Result<Manifest> parse_manifest(std::string_view bytes) {
  if (bytes.size() > kMaxManifestBytes) {
    return make_error(
        ErrorCode::kLimitExceeded,
        "manifest.json is larger than " + std::to_string(kMaxManifestBytes >> 20) + " MiB");
  }
  if (bytes.empty()) return malformed("file", "is empty");
  simdjson::dom::parser parser(kMaxManifestBytes);
  const simdjson::padded_string padded(bytes);
  element root;
  if (const auto err = parser.parse(padded).get(root); err != simdjson::SUCCESS) {
    return malformed("file", std::string("not valid JSON (") + simdjson::error_message(err) +
                                 "); truncated or damaged?");
  }
  return parse_root(root);
}

Result<std::string> read_manifest_bytes(const fs::path& out_dir) {
  const fs::path path = out_dir / kManifestFileName;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) {
    return make_error(ErrorCode::kNotFound, path.string() + ": no such file");
  }
  if (!fs::is_regular_file(status)) {
    return make_error(ErrorCode::kMalformed, path.string() + ": not a regular file");
  }
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIo, path.string() + ": " + ec.message());
  if (size > kMaxManifestBytes) {
    return make_error(
        ErrorCode::kLimitExceeded,
        path.string() + ": larger than " + std::to_string(kMaxManifestBytes >> 20) + " MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, path.string() + ": cannot read");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error(ErrorCode::kIo, path.string() + ": read error");
  return bytes;
}

Result<Manifest> load_manifest(const fs::path& out_dir) {
  auto bytes = read_manifest_bytes(out_dir);
  if (!bytes) return tl::unexpected(bytes.error());
  return parse_manifest(*bytes);
}

Result<std::vector<std::string>> list_output_files(const fs::path& dir) {
  return list_files_under(dir, /*skip_manifest=*/true);
}

Result<ManifestSummary> write_manifest(const ManifestInput& input, const fs::path& out_dir) {
  std::error_code ec;
  if (!fs::is_directory(out_dir, ec)) {
    return make_error(ErrorCode::kInvalidArgument,
                      out_dir.string() + ": output folder does not exist");
  }
  Manifest m;
  m.tool = input.tool;
  m.started = format_iso_time(input.started);
  m.finished = format_iso_time(input.finished);
  m.command = redact_command_line(input.argv);
  m.os = input.os;
  m.evidence.hash_all = input.hash_all;
  m.indicators = input.indicators;

  ManifestSummary summary;
  std::vector<HashJob> evidence_jobs;
  if (!input.evidence_root.empty()) {
    fs::path root = fs::absolute(input.evidence_root, ec).lexically_normal();
    if (ec) return make_error(ErrorCode::kIo, input.evidence_root.string() + ": " + ec.message());
    std::vector<std::string> rels;
    const auto root_status = fs::symlink_status(root, ec);
    if (fs::is_regular_file(root_status)) {
      rels.push_back(root.filename().string());
      root = root.parent_path();
    } else if (input.hash_all) {
      auto all = list_files_under(root, /*skip_manifest=*/false);
      if (!all) return tl::unexpected(all.error());
      rels = std::move(*all);
    } else {
      for (const auto& p : input.evidence_files) rels.push_back(p.generic_string());
      std::sort(rels.begin(), rels.end());
      rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
    }
    m.evidence.root = root.string();
    for (const auto& rel : rels) {
      // A path escaping the root is a caller bug; it cannot be listed (verify would refuse
      // the manifest), so it is only counted.
      if (!is_safe_relative_path(rel)) {
        ++summary.evidence_errors;
        continue;
      }
      evidence_jobs.push_back({root, rel});
    }
  }
  auto outputs = list_output_files(out_dir);
  if (!outputs) return tl::unexpected(outputs.error());
  std::vector<HashJob> jobs = evidence_jobs;
  for (const auto& rel : *outputs) jobs.push_back({out_dir, rel});
  std::vector<FileEntry> hashed = hash_entries(jobs, input.digests);
  for (std::size_t i = 0; i < hashed.size(); ++i) {
    if (i < evidence_jobs.size()) {
      if (!hashed[i].error.empty()) ++summary.evidence_errors;
      m.evidence.files.push_back(std::move(hashed[i]));
    } else {
      m.outputs.push_back(std::move(hashed[i]));
    }
  }
  summary.evidence_files = m.evidence.files.size();
  summary.outputs = m.outputs.size();

  const std::string bytes = serialize_manifest(m);
  summary.manifest_path = out_dir / kManifestFileName;
  if (auto written = write_file_atomically(summary.manifest_path, bytes); !written) {
    return tl::unexpected(written.error());
  }
  summary.manifest_sha256 = sha256_hex(bytes);
  auto sig = sign_or_clear(out_dir, bytes, input.sign_key);
  if (!sig) return tl::unexpected(sig.error());
  summary.signature_path = *sig;
  return summary;
}

Result<ManifestSummary> update_manifest(const fs::path& out_dir, const ManifestUpdate& update) {
  auto bytes = read_manifest_bytes(out_dir);
  if (!bytes) return tl::unexpected(bytes.error());
  auto parsed = parse_manifest(*bytes);
  if (!parsed) return tl::unexpected(parsed.error());
  Manifest m = std::move(*parsed);

  const fs::path sig_path = out_dir / kSignatureFileName;
  std::error_code ec;
  if (fs::exists(fs::symlink_status(sig_path, ec))) {
    if (!update.sign_key) {
      return make_error(ErrorCode::kInvalidArgument,
                        "manifest.json is signed; give the signing key (--sign-key) to update "
                        "and re-sign it, otherwise the signature would no longer match");
    }
    // Re-signing must not launder a manifest that was altered since it was signed, nor
    // put a different key's name on another examiner's record.
    auto sig_text = read_signature_file(sig_path);
    if (!sig_text || verify_detached(*bytes, *sig_text, update.sign_key->public_key()) !=
                         SignatureCheck::kValid) {
      return make_error(ErrorCode::kInvalidArgument,
                        "the current signature of manifest.json does not verify with this key "
                        "(another key, or the manifest changed since it was signed); refusing "
                        "to re-sign");
    }
  }

  HistoryEntry history;
  history.action = update.action;
  history.at = format_iso_time(update.at);
  history.command = redact_command_line(update.argv);
  std::vector<std::string> files = update.files;
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (const auto& rel : files) {
    if (!is_safe_relative_path(rel) || rel == kManifestFileName || rel == kSignatureFileName) {
      return make_error(ErrorCode::kInvalidArgument, "cannot record output \"" + rel + "\"");
    }
    FileEntry entry = hash_entry(out_dir, rel);
    if (!entry.error.empty()) {
      return make_error(ErrorCode::kIo, "cannot hash output " + rel + ": " + entry.error);
    }
    FileEntry record = entry;
    auto it = std::find_if(m.outputs.begin(), m.outputs.end(),
                           [&](const FileEntry& f) { return f.path == rel; });
    if (it != m.outputs.end()) {
      record.previous_sha256 = it->sha256;
      *it = entry;
    } else {
      m.outputs.push_back(entry);
    }
    history.files.push_back(std::move(record));
  }
  m.history.push_back(std::move(history));

  const std::string new_bytes = serialize_manifest(m);
  ManifestSummary summary;
  summary.manifest_path = out_dir / kManifestFileName;
  if (auto written = write_file_atomically(summary.manifest_path, new_bytes); !written) {
    return tl::unexpected(written.error());
  }
  summary.manifest_sha256 = sha256_hex(new_bytes);
  summary.evidence_files = m.evidence.files.size();
  for (const auto& f : m.evidence.files) summary.evidence_errors += f.error.empty() ? 0 : 1;
  summary.outputs = m.outputs.size();
  auto sig = sign_or_clear(out_dir, new_bytes, update.sign_key);
  if (!sig) return tl::unexpected(sig.error());
  summary.signature_path = *sig;
  return summary;
}

}  // namespace spyglass::manifest
