#include "artifacts/ios/whatsapp/whatsapp.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace spyglass::artifacts::ios {
namespace {

using formats::sqlite::Database;
using formats::sqlite::Statement;
using matching::ObservableKind;

constexpr const char* kAppGroup = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared";

// The LID map only labels chats; a store with more pairs than this is not a phone's address
// book, and the map stops growing rather than the memory.
constexpr std::size_t kMaxLidPairs = 200'000;

// The columns of the joined tables that MVT adds to each message, in its order.
constexpr std::array<const char*, 2> kMediaColumns = {"ZAUTHORNAME", "ZMEDIAURL"};
constexpr std::array<const char*, 5> kDataItemColumns = {"ZCONTENT1", "ZCONTENT2", "ZMATCHEDTEXT",
                                                         "ZSUMMARY", "ZTITLE"};
// Where WhatsApp keeps URLs: the text, the link preview (data item) and the media URL.
constexpr std::array<const char*, 5> kLinkColumns = {"ZTEXT", "ZMATCHEDTEXT", "ZMEDIAURL",
                                                     "ZCONTENT1", "ZCONTENT2"};

// Core Data dates are REAL Mac absolute seconds; an 18-digit value is nanoseconds (MVT's
// convert_mactime_to_datetime rule). 0/NULL/text: never set.
std::optional<UnixMicros> mac_time(const Statement& s, int col) {
  const int type = s.column_type(col);
  if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) return std::nullopt;
  double v = type == SQLITE_INTEGER ? static_cast<double>(s.get_int64(col)) : s.get_double(col);
  if (!std::isfinite(v) || v == 0) return std::nullopt;
  if (std::fabs(v) > 1e12) v /= 1e9;
  if (std::fabs(v) > 1e11) return std::nullopt;  // beyond year 5000: not a date
  return from_mac_absolute(v);
}

json::Value time_json(std::optional<UnixMicros> t) {
  return t ? json::Value(format_mvt_time(*t)) : json::Value(nullptr);
}

// A cell as Python's str() prints it in MVT's timeline text.
std::string py_text(const json::Value* v) {
  if (v == nullptr || v->is_null()) return "None";
  switch (v->type()) {
    case json::Type::kString:
      return v->as_string();
    case json::Type::kInt:
      return std::to_string(v->as_int());
    default:
      return "";
  }
}

std::optional<std::string> text_of(const json::Value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->type() == json::Type::kString) return v->as_string();
  if (v->type() == json::Type::kInt) return std::to_string(v->as_int());
  return std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host of an absolute URL, lower-cased, without user info or port ("" when none).
std::string link_host(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#\\"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') return {};  // IPv6 literal
  authority = authority.substr(0, authority.find(':'));
  while (!authority.empty() && authority.back() == '.') authority.remove_suffix(1);
  return lower(authority);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string escape_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// "SELECT <table>.<col>" when the join and the column exist, "NULL AS <col>" otherwise: the
// record keeps MVT's fields whatever the WhatsApp version.
std::string optional_column(bool joined, const TableColumns& cols, const char* column) {
  if (joined && cols.has(column)) return cols.table() + "." + column;
  return std::string("NULL AS ") + column;
}

IosLocator chat_storage_locator() {
  IosLocator l;
  l.backup_files = {{kAppGroup, "ChatStorage.sqlite"}};
  l.fs_globs = {"private/var/mobile/Containers/Shared/AppGroup/*/ChatStorage.sqlite"};
  return l;
}

IosLocator lid_db_locator() {
  IosLocator l;
  l.backup_files = {{kAppGroup, "LID.sqlite"}};
  l.fs_globs = {"private/var/mobile/Containers/Shared/AppGroup/*/LID.sqlite"};
  return l;
}

// LID digits -> phone digits. Lookup only: never iterated, so output order does not depend on
// it.
using LidMap = std::unordered_map<std::string, std::string>;

class WhatsappModule final : public IosModule {
 public:
  WhatsappModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "whatsapp";
    s.expected_cost = 2;  // large on big backups: scheduled early
    s.display_name = "Whatsapp";
    s.summary = "WhatsApp messages (ChatStorage.sqlite): links, LID pairs and chat summaries";
    s.locator = chat_storage_locator();
    return s;
  }

  // State of one run (modules are shared between scans; nothing is kept in members).
  struct RunState {
    LidMap lids;
    bool lid_db_done = false;  // LID.sqlite is read once, whatever the number of stores
    bool lid_db_found = false;
    std::optional<scan::Status> deferred_failure;  // a secondary table that could not be read
  };

  scan::Status run_files(IosRun& run) override {
    RunState state;
    for (const IosFile& file : run.files) {
      if (scan::Status st = read_store(run, file, state); st.code != scan::ModuleStatus::kOk) {
        return st;
      }
    }
    if (state.deferred_failure) return *state.deferred_failure;
    return scan::Status::ok();
  }

  static void defer(RunState& state, scan::Status st) {
    if (!state.deferred_failure) state.deferred_failure = std::move(st);
  }

  static scan::Status read_store(IosRun& run, const IosFile& file, RunState& state) {
    auto db = run.evidence.open_sqlite(file);
    if (!db) return run.file_failed(file, db.error());
    if (scan::Status st = read_messages(run, file, *db); st.code != scan::ModuleStatus::kOk) {
      return st;
    }
    read_lid_pairs(run, file, *db, state);
    read_chat_sessions(run, file, *db, state);
    return scan::Status::ok();
  }

  // ---- Messages ---------------------------------------------------------------------------

  static scan::Status read_messages(IosRun& run, const IosFile& file, const Database& db) {
    auto message = TableColumns::read(db, "ZWAMESSAGE");
    if (!message) return run.file_failed(file, message.error());
    if (auto r = require_columns(*message, {"Z_PK", "ZMESSAGEDATE", "ZTEXT"}); !r) {
      return run.file_failed(file, r.error());
    }
    auto media = TableColumns::read(db, "ZWAMEDIAITEM");
    if (!media) return run.file_failed(file, media.error());
    auto data_item = TableColumns::read(db, "ZWAMESSAGEDATAITEM");
    if (!data_item) return run.file_failed(file, data_item.error());
    // Older stores lack the link-preview table or some of its columns: those cells are NULL.
    const bool media_join = media->has("ZMESSAGE");
    const bool data_join = data_item->has("ZMESSAGE");

    std::string sql = "SELECT ZWAMESSAGE.*";
    for (const char* c : kMediaColumns) sql += ", " + optional_column(media_join, *media, c);
    for (const char* c : kDataItemColumns) {
      sql += ", " + optional_column(data_join, *data_item, c);
    }
    sql += " FROM ZWAMESSAGE";
    if (media_join) sql += " LEFT JOIN ZWAMEDIAITEM ON ZWAMEDIAITEM.ZMESSAGE = ZWAMESSAGE.Z_PK";
    if (data_join) {
      sql += " LEFT JOIN ZWAMESSAGEDATAITEM ON ZWAMESSAGEDATAITEM.ZMESSAGE = ZWAMESSAGE.Z_PK";
    }
    sql += " ORDER BY ZWAMESSAGE.Z_PK";
    if (media_join && media->has("Z_PK")) sql += ", ZWAMEDIAITEM.Z_PK";
    if (data_join && data_item->has("Z_PK")) sql += ", ZWAMESSAGEDATAITEM.Z_PK";

    auto stmt = db.prepare(sql);
    if (!stmt) return run.file_failed(file, stmt.error());
    int date_col = -1;
    for (int c = 0; c < stmt->column_count(); ++c) {
      if (stmt->column_name(c) == "ZMESSAGEDATE") {
        date_col = c;
        break;
      }
    }
    while (true) {
      auto more = stmt->step();
      if (!more) return run.file_failed(file, more.error());
      if (!*more) break;
      run.sink.emit(make_message(*stmt, date_col, file));
    }
    return scan::Status::ok();
  }

  static scan::Record make_message(const Statement& stmt, int date_col, const IosFile& file) {
    scan::Record r;
    json::Value data = row_json(stmt);
    const std::optional<UnixMicros> when = date_col >= 0 ? mac_time(stmt, date_col) : std::nullopt;
    std::string text = text_of(data.find("ZTEXT")).value_or("");
    data.set("isodate", time_json(when));
    data.set("ZTEXT", text);  // MVT writes "" for a NULL text

    std::vector<std::string> links;
    for (const char* column : kLinkColumns) {
      const std::optional<std::string> value = text_of(data.find(column));
      if (!value || value->empty()) continue;
      for (std::string& link : find_links(*value)) {
        if (is_whatsapp_media_link(link)) continue;
        // The same URL often sits in the text and in the preview: one entry (first seen).
        if (std::find(links.begin(), links.end(), link) == links.end()) {
          links.push_back(std::move(link));
        }
      }
    }
    json::Value link_list = json::Value::array();
    for (const std::string& l : links) link_list.push_back(l);
    data.set("links", std::move(link_list));

    std::string description = "'" + escape_newlines(text) + "' from " +
                              py_text(data.find("ZFROMJID"));
    if (!links.empty()) {
      description += " - Embedded links: ";
      for (std::size_t i = 0; i < links.size(); ++i) description += (i ? ", " : "") + links[i];
    }
    r.time = when;
    if (when) r.timeline.push_back({*when, "message", std::move(description)});
    for (const std::string& l : links) r.observe(ObservableKind::kUrl, l, "links");
    // Bare domains ("evil.example/x", no scheme) are matched as in sms: the message text and
    // the text WhatsApp recognised as a link.
    if (!text.empty()) r.observe(ObservableKind::kText, text, "ZTEXT");
    if (auto matched = text_of(data.find("ZMATCHEDTEXT")); matched && !matched->empty()) {
      r.observe(ObservableKind::kText, *matched, "ZMATCHEDTEXT");
    }
    r.links = std::move(links);
    r.provenance = file.provenance("ZWAMESSAGE Z_PK " + py_text(data.find("Z_PK")));
    r.data = std::move(data);
    return r;
  }

  // ---- LID <-> phone number pairs -----------------------------------------------------------

  // Depending on the WhatsApp version the pairs live in LID.sqlite or in ChatStorage.sqlite.
  static void read_lid_pairs(IosRun& run, const IosFile& store, const Database& store_db,
                             RunState& state) {
    if (!state.lid_db_done) {
      state.lid_db_done = true;
      auto found = run.evidence.find(lid_db_locator());
      if (!found) {
        defer(state, scan::Status::failed(found.error().message));
        return;
      }
      for (const IosFile& f : *found) {
        state.lid_db_found = true;
        auto db = run.evidence.open_sqlite(f);
        if (!db) {
          defer(state, run.file_failed(f, db.error()));
          continue;
        }
        if (auto r = read_lid_table(run, f, *db, state, /*required=*/true); !r) {
          defer(state, run.file_failed(f, r.error()));
        }
      }
    }
    if (state.lid_db_found) return;
    if (auto r = read_lid_table(run, store, store_db, state, /*required=*/false); !r) {
      defer(state, run.file_failed(store, r.error()));
    }
  }

  static Result<void> read_lid_table(IosRun& run, const IosFile& file, const Database& db,
                                     RunState& state, bool required) {
    auto cols = TableColumns::read(db, "ZWAPHONENUMBERLIDPAIR");
    if (!cols) return tl::unexpected(cols.error());
    if (cols->empty() && !required) return {};  // this version keeps no pairs here
    if (auto r = require_columns(*cols, {"ZLID", "ZPHONENUMBER"}); !r) return r;
    const std::string sql =
        std::string("SELECT ZLID, ZPHONENUMBER, ") +
        (cols->has("ZTIMESTAMP") ? "ZTIMESTAMP" : "NULL") +
        (cols->has("Z_PK") ? ", Z_PK FROM ZWAPHONENUMBERLIDPAIR ORDER BY Z_PK"
                           : ", NULL FROM ZWAPHONENUMBERLIDPAIR ORDER BY rowid");
    auto stmt = db.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    while (true) {
      auto more = stmt->step();
      if (!more) return tl::unexpected(more.error());
      if (!*more) break;
      const std::optional<UnixMicros> when = mac_time(*stmt, 2);
      json::Value lid = column_json(*stmt, 0);
      json::Value phone = column_json(*stmt, 1);
      scan::Record r;
      r.time = when;
      if (when) {
        r.timeline.push_back({*when, "lid_pair_recorded",
                              "WhatsApp associated LID " + py_text(&lid) + " with phone number " +
                                  py_text(&phone)});
      }
      const std::optional<std::string> lid_text = text_of(&lid);
      const std::optional<std::string> phone_text = text_of(&phone);
      if (lid_text && phone_text && !lid_text->empty() && !phone_text->empty() &&
          state.lids.size() < kMaxLidPairs) {
        std::string digits = phone_text->substr(0, phone_text->find('@'));
        digits.erase(0, digits.find_first_not_of('+'));
        state.lids[lid_text->substr(0, lid_text->find('@'))] = std::move(digits);
      }
      r.data = json::obj({{"record_type", "lid_phone_number_pair"},
                          {"lid", std::move(lid)},
                          {"phone_number", std::move(phone)},
                          {"pair_timestamp", time_json(when)}});
      r.provenance = file.provenance(
          stmt->is_null(3) ? std::string("ZWAPHONENUMBERLIDPAIR")
                           : "ZWAPHONENUMBERLIDPAIR Z_PK " + std::to_string(stmt->get_int64(3)));
      run.sink.emit(std::move(r));
    }
    return {};
  }

  // ---- Chat sessions ------------------------------------------------------------------------

  static void read_chat_sessions(IosRun& run, const IosFile& file, const Database& db,
                                 RunState& state) {
    auto session = TableColumns::read(db, "ZWACHATSESSION");
    if (!session) {
      defer(state, run.file_failed(file, session.error()));
      return;
    }
    if (session->empty()) {
      run.context.log().info(file.display_name() + ": no ZWACHATSESSION table, no chat summaries");
      return;
    }
    if (auto r = require_columns(*session, {"Z_PK", "ZCONTACTJID"}); !r) {
      defer(state, run.file_failed(file, r.error()));
      return;
    }
    auto group = TableColumns::read(db, "ZWAGROUPINFO");
    if (!group) {
      defer(state, run.file_failed(file, group.error()));
      return;
    }
    auto message = TableColumns::read(db, "ZWAMESSAGE");
    if (!message) {
      defer(state, run.file_failed(file, message.error()));
      return;
    }
    const bool group_join =
        session->has("ZGROUPINFO") && group->has("Z_PK") && group->has("ZCREATIONDATE");
    const bool message_join = message->has("ZCHATSESSION");
    auto col = [&](const char* c) {
      return session->has(c) ? std::string("ZWACHATSESSION.") + c : std::string("NULL");
    };
    std::string sql = "SELECT ZWACHATSESSION.Z_PK, ZWACHATSESSION.ZCONTACTJID, " +
                      col("ZPARTNERNAME") + ", " + col("ZSESSIONTYPE") + ", " + col("ZARCHIVED") +
                      ", " + col("ZREMOVED") + ", " + col("ZMESSAGECOUNTER") + ", " +
                      col("ZLASTMESSAGEDATE") + ", " +
                      (group_join ? "ZWAGROUPINFO.ZCREATIONDATE" : "NULL") + ", " +
                      (message_join ? "MIN(ZWAMESSAGE.ZMESSAGEDATE), MAX(ZWAMESSAGE.ZMESSAGEDATE), "
                                      "COUNT(ZWAMESSAGE.Z_PK)"
                                    : "NULL, NULL, 0") +
                      " FROM ZWACHATSESSION";
    if (group_join) {
      sql += " LEFT JOIN ZWAGROUPINFO ON ZWACHATSESSION.ZGROUPINFO = ZWAGROUPINFO.Z_PK";
    }
    if (message_join) {
      sql += " LEFT JOIN ZWAMESSAGE ON ZWAMESSAGE.ZCHATSESSION = ZWACHATSESSION.Z_PK";
    }
    sql += " GROUP BY ZWACHATSESSION.Z_PK ORDER BY ZWACHATSESSION.Z_PK";
    auto stmt = db.prepare(sql);
    if (!stmt) {
      defer(state, run.file_failed(file, stmt.error()));
      return;
    }
    while (true) {
      auto more = stmt->step();
      if (!more) {
        defer(state, run.file_failed(file, more.error()));
        return;
      }
      if (!*more) break;
      run.sink.emit(make_session(*stmt, file, state.lids));
    }
  }

  static scan::Record make_session(const Statement& stmt, const IosFile& file,
                                   const LidMap& lids) {
    json::Value jid = column_json(stmt, 1);
    json::Value name = column_json(stmt, 2);
    const std::optional<UnixMicros> last_message = mac_time(stmt, 7);
    const std::optional<UnixMicros> group_created = mac_time(stmt, 8);
    const std::optional<UnixMicros> first_stored = mac_time(stmt, 9);
    const std::optional<UnixMicros> last_stored = mac_time(stmt, 10);

    std::optional<std::string> resolved;
    const std::string jid_text = text_of(&jid).value_or("");
    if (ends_with(jid_text, "@lid")) {
      if (auto it = lids.find(jid_text.substr(0, jid_text.find('@'))); it != lids.end()) {
        resolved = "+" + it->second;
      }
    }

    scan::Record r;
    r.data = json::obj({{"session_pk", column_json(stmt, 0)},
                        {"contact_jid", jid},
                        {"partner_name", name},
                        {"session_type", column_json(stmt, 3)},
                        {"archived", column_json(stmt, 4)},
                        {"removed", column_json(stmt, 5)},
                        {"message_counter", column_json(stmt, 6)},
                        {"last_message_date", time_json(last_message)},
                        {"group_creation_date", time_json(group_created)},
                        {"first_stored_message_date", time_json(first_stored)},
                        {"last_stored_message_date", time_json(last_stored)},
                        {"stored_message_count", column_json(stmt, 11)},
                        {"record_type", "chat_session"},
                        {"partner_resolved_phone_number",
                         resolved ? json::Value(*resolved) : json::Value(nullptr)}});

    const std::string shown_jid = jid_text.empty() ? "unknown" : jid_text;
    const std::string identifier = resolved.value_or(shown_jid);
    const std::string name_text = text_of(&name).value_or("");
    const std::string label = name_text.empty() ? identifier : "'" + name_text + "' (" +
                                                                   identifier + ")";
    const bool is_group = ends_with(shown_jid, "@g.us") || group_created.has_value();
    const std::string chat =
        (is_group ? "WhatsApp group chat " : "WhatsApp chat with ") + label;
    if (group_created) r.timeline.push_back({*group_created, "group_created", chat + " was created"});
    if (first_stored) {
      r.timeline.push_back({*first_stored, "chat_first_message", "First stored message in " + chat});
    }
    // The session's own last-message date wins: it outlives a deleted newest message.
    if (const std::optional<UnixMicros> last = last_message ? last_message : last_stored) {
      r.timeline.push_back({*last, "chat_last_message", "Last message in " + chat});
    }
    r.time = last_message ? last_message : last_stored;
    r.provenance = file.provenance("ZWACHATSESSION Z_PK " + py_text(r.data.find("session_pk")));
    return r;
  }
};

}  // namespace

bool is_whatsapp_media_link(std::string_view url) {
  const std::string host = link_host(url);
  if (host == "mmg.whatsapp.net" || host == "mmg-fna.whatsapp.net" ||
      host == "pps.whatsapp.net") {
    return true;
  }
  // Media CDN points of presence: media.<pop>.fna.whatsapp.net, media-<pop>.cdn.whatsapp.net.
  return ends_with(host, ".whatsapp.net") && host.size() > 6 && host.compare(0, 5, "media") == 0 &&
         (host[5] == '.' || host[5] == '-');
}

std::unique_ptr<scan::Module> make_whatsapp_module() { return std::make_unique<WhatsappModule>(); }

}  // namespace spyglass::artifacts::ios
