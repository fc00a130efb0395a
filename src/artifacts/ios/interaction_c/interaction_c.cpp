#include "artifacts/ios/interaction_c/interaction_c.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "artifacts/ios/whatsapp_contacts/whatsapp_contacts.hpp"

namespace spyglass::artifacts::ios {
namespace {

using formats::sqlite::Database;
using formats::sqlite::Statement;
using matching::ObservableKind;

constexpr std::string_view kWhatsappBundleId = "net.whatsapp.WhatsApp";
// A creation date this far from the start date means the row was backfilled (sync, restore,
// tampering); closer, it only repeats the start date.
constexpr double kCreationDivergenceSeconds = 3600;
// WhatsApp contact maps label peers only; a bigger address book stops growing the maps.
constexpr std::size_t kMaxWhatsappContacts = 200'000;

// The tables of one row: the interaction, its sender, an attachment, a recipient.
enum class Src { kInteraction, kSender, kAttachment, kRecipient };
enum class Kind { kRaw, kDate, kDirection, kHex };

struct Field {
  const char* name;  // MVT's output field (APOLLO-derived names, typos included)
  Src src;
  const char* column;
  Kind kind;
};

// MVT's first (richest) query, in its order, plus ZMECHANISM from the older ones.
constexpr std::array<Field, 39> kFields = {{
    {"start_date", Src::kInteraction, "ZSTARTDATE", Kind::kDate},
    {"end_date", Src::kInteraction, "ZENDDATE", Kind::kDate},
    {"bundle_id", Src::kInteraction, "ZBUNDLEID", Kind::kRaw},
    {"account", Src::kInteraction, "ZACCOUNT", Kind::kRaw},
    {"target_bundle_id", Src::kInteraction, "ZTARGETBUNDLEID", Kind::kRaw},
    {"direction", Src::kInteraction, "ZDIRECTION", Kind::kDirection},
    {"sender_display_name", Src::kSender, "ZDISPLAYNAME", Kind::kRaw},
    {"sender_identifier", Src::kSender, "ZIDENTIFIER", Kind::kRaw},
    {"sender_personid", Src::kSender, "ZPERSONID", Kind::kRaw},
    {"recipient_display_name", Src::kRecipient, "ZDISPLAYNAME", Kind::kRaw},
    {"recipient_identifier", Src::kRecipient, "ZIDENTIFIER", Kind::kRaw},
    {"recipient_personid", Src::kRecipient, "ZPERSONID", Kind::kRaw},
    {"recipient_count", Src::kInteraction, "ZRECIPIENTCOUNT", Kind::kRaw},
    {"domain_identifier", Src::kInteraction, "ZDOMAINIDENTIFIER", Kind::kRaw},
    {"is_response", Src::kInteraction, "ZISRESPONSE", Kind::kRaw},
    {"mechanism", Src::kInteraction, "ZMECHANISM", Kind::kRaw},
    {"content", Src::kAttachment, "ZCONTENTTEXT", Kind::kRaw},
    {"uti", Src::kAttachment, "ZUTI", Kind::kRaw},
    {"attachment_content_url", Src::kAttachment, "ZCONTENTURL", Kind::kRaw},
    {"size", Src::kAttachment, "ZSIZEINBYTES", Kind::kRaw},
    {"photo_local_id", Src::kAttachment, "ZPHOTOLOCALIDENTIFIER", Kind::kRaw},
    {"attachment_id", Src::kAttachment, "ZIDENTIFIER", Kind::kHex},
    {"cloud_id", Src::kAttachment, "ZCLOUDIDENTIFIER", Kind::kRaw},
    {"incoming_recipient_count", Src::kSender, "ZINCOMINGRECIPIENTCOUNT", Kind::kRaw},
    {"incoming_sender_count", Src::kSender, "ZINCOMINGSENDERCOUNT", Kind::kRaw},
    {"outgoing_recipient_count", Src::kSender, "ZOUTGOINGRECIPIENTCOUNT", Kind::kRaw},
    {"interactions_creation_date", Src::kInteraction, "ZCREATIONDATE", Kind::kDate},
    {"contacts_creation_date", Src::kSender, "ZCREATIONDATE", Kind::kDate},
    {"first_incoming_recipient_date", Src::kSender, "ZFIRSTINCOMINGRECIPIENTDATE", Kind::kDate},
    {"first_incoming_sender_date", Src::kSender, "ZFIRSTINCOMINGSENDERDATE", Kind::kDate},
    {"first_outgoing_recipient_date", Src::kSender, "ZFIRSTOUTGOINGRECIPIENTDATE", Kind::kDate},
    {"last_incoming_sender_date", Src::kSender, "ZLASTINCOMINGSENDERDATE", Kind::kDate},
    {"last_incoming_recipient_date", Src::kSender, "ZLASTINCOMINGRECIPIENTDATE", Kind::kDate},
    {"last_outgoing_recipient_date", Src::kSender, "ZLASTOUTGOINGRECIPIENTDATE", Kind::kDate},
    {"custom_id", Src::kSender, "ZCUSTOMIDENTIFIER", Kind::kRaw},
    {"interaction_content_url", Src::kInteraction, "ZCONTENTURL", Kind::kRaw},
    {"location_uuid", Src::kInteraction, "ZLOCATIONUUID", Kind::kRaw},
    {"group_name", Src::kInteraction, "ZGROUPNAME", Kind::kRaw},
    {"derivied_intent_id", Src::kInteraction, "ZDERIVEDINTENTIDENTIFIER", Kind::kRaw},
}};
constexpr std::size_t kStartField = 0;
constexpr std::size_t kEndField = 1;
constexpr std::size_t kCreationField = 26;
static_assert(std::string_view(kFields[kStartField].name) == "start_date");
static_assert(std::string_view(kFields[kEndField].name) == "end_date");
static_assert(std::string_view(kFields[kCreationField].name) == "interactions_creation_date");

// Per-contact aggregates (ZCONTACTS of the sender): one timeline event per contact, since the
// sink drops repeats of the same (time, event, text).
struct ContactEvent {
  const char* field;
  const char* before;  // text before the party
  const char* after;   // text after it
};
constexpr std::array<ContactEvent, 7> kContactEvents = {{
    {"contacts_creation_date", "Contact ", " first recorded in interactionC"},
    {"first_incoming_sender_date", "First incoming interaction from ", ""},
    {"last_incoming_sender_date", "Last incoming interaction from ", ""},
    {"first_incoming_recipient_date", "First incoming interaction where ", " was a recipient"},
    {"last_incoming_recipient_date", "Last incoming interaction where ", " was a recipient"},
    {"first_outgoing_recipient_date", "First outgoing interaction to ", ""},
    {"last_outgoing_recipient_date", "Last outgoing interaction to ", ""},
}};

std::optional<UnixMicros> mac_time(const Statement& s, int col) {
  const int type = s.column_type(col);
  if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) return std::nullopt;
  double v = type == SQLITE_INTEGER ? static_cast<double>(s.get_int64(col)) : s.get_double(col);
  if (!std::isfinite(v) || v == 0) return std::nullopt;
  if (std::fabs(v) > 1e12) v /= 1e9;
  if (std::fabs(v) > 1e11) return std::nullopt;
  return from_mac_absolute(v);
}

std::string hex_upper(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::optional<std::string> text_of(const json::Value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->type() == json::Type::kString) {
    if (v->as_string().empty()) return std::nullopt;  // Python's `or`: "" counts as absent
    return v->as_string();
  }
  if (v->type() == json::Type::kInt) return std::to_string(v->as_int());
  return std::nullopt;
}

std::string digits_of(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "Z_<digits><suffix>", Core Data's name for a many-to-many join table or column; the entity
// number changes with the model version.
bool core_data_join_name(std::string_view name, std::string_view suffix) {
  if (name.size() <= 2 + suffix.size() || name.substr(0, 2) != "Z_" || !ends_with(name, suffix)) {
    return false;
  }
  const std::string_view number = name.substr(2, name.size() - 2 - suffix.size());
  if (number.empty()) return false;
  for (char c : number) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A join table found by shape: its name and the two key columns.
struct JoinTable {
  std::string table;
  std::string interaction_column;  // holds ZINTERACTIONS.Z_PK
  std::string other_column;        // holds ZATTACHMENT.Z_PK / ZCONTACTS.Z_PK
};

Result<std::optional<JoinTable>> find_join_table(const Database& db, std::string_view table_suffix,
                                                 std::string_view interaction_suffix,
                                                 std::string_view other_suffix) {
  auto stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<std::string> candidates;
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    const std::string_view name = stmt->get_text(0);
    if (core_data_join_name(name, table_suffix)) candidates.emplace_back(name);
  }
  for (const std::string& t : candidates) {
    auto cols = TableColumns::read(db, t);
    if (!cols) return tl::unexpected(cols.error());
    JoinTable j;
    j.table = t;
    for (const std::string& c : cols->names()) {
      // The interaction side is checked first: "Z_3INTERACTIONRECIPIENT" also ends in
      // "RECIPIENT" but never in "RECIPIENTS".
      if (core_data_join_name(c, interaction_suffix)) {
        j.interaction_column = c;
      } else if (core_data_join_name(c, other_suffix)) {
        j.other_column = c;
      }
    }
    if (!j.interaction_column.empty() && !j.other_column.empty()) return j;
  }
  return std::optional<JoinTable>();
}

// A quoted SQL identifier. Table and column names come from the evidence's sqlite_master, so
// embedded quotes are doubled. (Appended piecewise: GCC 12 at -O3 warns falsely on
// `"\"" + std::string(...)`, bug 105329.)
std::string sql_identifier(std::string_view id) {
  std::string out;
  out.reserve(id.size() + 2);
  out += '"';
  for (char c : id) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// WhatsApp identifiers -> (phone number, name), from ContactsV2.sqlite. Lookup only.
struct WhatsappContacts {
  using Entry = std::pair<std::optional<std::string>, std::optional<std::string>>;
  std::unordered_map<std::string, Entry> by_lid;
  std::unordered_map<std::string, Entry> by_phone;
};

class InteractionCModule final : public IosModule {
 public:
  InteractionCModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "interaction_c";
    s.expected_cost = 1;  // large on big backups: scheduled early
    s.display_name = "InteractionC";
    s.summary = "People interactions recorded by CoreDuet (interactionC.db): app, peers, dates";
    s.locator.backup_files = {{"HomeDomain", "Library/CoreDuet/People/interactionC.db"}};
    s.locator.fs_globs = {"private/var/mobile/Library/CoreDuet/People/interactionC.db"};
    return s;
  }

  struct Query {
    std::string sql;
    std::array<int, kFields.size()> at{};  // result column per field, -1: not in this schema
    int sender_pk = -1;
  };

  scan::Status run_files(IosRun& run) override {
    std::optional<WhatsappContacts> contacts;  // read on the first WhatsApp row
    for (const IosFile& file : run.files) {
      if (scan::Status st = read_db(run, file, contacts); st.code != scan::ModuleStatus::kOk) {
        return st;
      }
    }
    return scan::Status::ok();
  }

  static Result<Query> build_query(const Database& db, const IosFile& file, IosRun& run) {
    auto interactions = TableColumns::read(db, "ZINTERACTIONS");
    if (!interactions) return tl::unexpected(interactions.error());
    if (auto r = require_columns(*interactions, {"Z_PK", "ZSTARTDATE", "ZBUNDLEID"}); !r) {
      return tl::unexpected(r.error());
    }
    auto contacts = TableColumns::read(db, "ZCONTACTS");
    if (!contacts) return tl::unexpected(contacts.error());
    auto attachment = TableColumns::read(db, "ZATTACHMENT");
    if (!attachment) return tl::unexpected(attachment.error());

    const bool sender = interactions->has("ZSENDER") && contacts->has("Z_PK");
    std::optional<JoinTable> attachment_link;
    if (attachment->has("Z_PK")) {
      auto j = find_join_table(db, "INTERACTIONS", "INTERACTIONS", "ATTACHMENTS");
      if (!j) return tl::unexpected(j.error());
      attachment_link = std::move(*j);
    }
    std::optional<JoinTable> recipient_link;
    if (contacts->has("Z_PK")) {
      auto j = find_join_table(db, "INTERACTIONRECIPIENT", "INTERACTIONRECIPIENT", "RECIPIENTS");
      if (!j) return tl::unexpected(j.error());
      recipient_link = std::move(*j);
    }
    if (!attachment_link || !recipient_link) {
      run.context.log().info(file.display_name() + ": no " +
                             (attachment_link ? "recipient" : "attachment") +
                             " join table in this interactionC.db version; those fields are null");
    }

    Query q;
    std::string select;
    int next = 0;
    auto add = [&](const std::string& expr) {
      select += (select.empty() ? "" : ", ") + expr;
      return next++;
    };
    for (std::size_t i = 0; i < kFields.size(); ++i) {
      const Field& f = kFields[i];
      const TableColumns* cols = nullptr;
      const char* alias = "";
      switch (f.src) {
        case Src::kInteraction:
          cols = &*interactions;
          alias = "I";
          break;
        case Src::kSender:
          cols = sender ? &*contacts : nullptr;
          alias = "C";
          break;
        case Src::kAttachment:
          cols = attachment_link ? &*attachment : nullptr;
          alias = "A";
          break;
        case Src::kRecipient:
          cols = recipient_link ? &*contacts : nullptr;
          alias = "R";
          break;
      }
      q.at[i] = cols != nullptr && cols->has(f.column)
                    ? add(std::string(alias) + "." + f.column)
                    : -1;
    }
    add("I.Z_PK");
    if (sender) q.sender_pk = add("C.Z_PK");
    q.sql = "SELECT " + select + " FROM ZINTERACTIONS I";
    std::string order = " ORDER BY I.Z_PK";
    if (sender) q.sql += " LEFT JOIN ZCONTACTS C ON I.ZSENDER = C.Z_PK";
    if (attachment_link) {
      q.sql += " LEFT JOIN " + sql_identifier(attachment_link->table) + " L1 ON I.Z_PK = L1." +
               sql_identifier(attachment_link->interaction_column) + " LEFT JOIN ZATTACHMENT A ON L1." +
               sql_identifier(attachment_link->other_column) + " = A.Z_PK";
      order += ", A.Z_PK";
    }
    if (recipient_link) {
      q.sql += " LEFT JOIN " + sql_identifier(recipient_link->table) + " L2 ON I.Z_PK = L2." +
               sql_identifier(recipient_link->interaction_column) + " LEFT JOIN ZCONTACTS R ON L2." +
               sql_identifier(recipient_link->other_column) + " = R.Z_PK";
      order += ", R.Z_PK";
    }
    q.sql += order;
    return q;
  }

  static scan::Status read_db(IosRun& run, const IosFile& file,
                              std::optional<WhatsappContacts>& contacts) {
    auto db = run.evidence.open_sqlite(file);
    if (!db) return run.file_failed(file, db.error());
    auto q = build_query(*db, file, run);
    if (!q) return run.file_failed(file, q.error());
    auto stmt = db->prepare(q->sql);
    if (!stmt) return run.file_failed(file, stmt.error());
    const int pk_col = static_cast<int>(
        std::count_if(q->at.begin(), q->at.end(), [](int c) { return c >= 0; }));
    while (true) {
      auto more = stmt->step();
      if (!more) return run.file_failed(file, more.error());
      if (!*more) break;
      run.sink.emit(make_record(run, *stmt, *q, pk_col, file, contacts));
    }
    return scan::Status::ok();
  }

  static WhatsappContacts load_whatsapp_contacts(IosRun& run) {
    WhatsappContacts out;
    auto found = run.evidence.find(whatsapp_contacts_locator());
    if (!found || found->empty()) return out;
    for (const IosFile& f : *found) {
      // A broken ContactsV2.sqlite is whatsapp_contacts' failure to report; here it only
      // means WhatsApp peers stay unresolved.
      auto db = run.evidence.open_sqlite(f);
      if (!db) {
        run.context.log().warning(f.display_name() + ": " + db.error().message);
        continue;
      }
      auto cols = TableColumns::read(*db, "ZWAADDRESSBOOKCONTACT");
      if (!cols || cols->empty()) continue;
      auto col = [&](const char* c) { return cols->has(c) ? std::string(c) : "NULL"; };
      auto stmt = db->prepare("SELECT " + col("ZLID") + ", " + col("ZPHONENUMBER") + ", " +
                              col("ZWHATSAPPID") + ", " + col("ZFULLNAME") + ", " +
                              col("ZGIVENNAME") + " FROM ZWAADDRESSBOOKCONTACT ORDER BY Z_PK");
      if (!stmt) continue;
      while (out.by_lid.size() < kMaxWhatsappContacts &&
             out.by_phone.size() < kMaxWhatsappContacts) {
        auto more = stmt->step();
        if (!more || !*more) break;
        auto cell = [&](int c) -> std::optional<std::string> {
          if (stmt->column_type(c) == SQLITE_TEXT) {
            std::string s(stmt->get_text(c));
            if (!s.empty()) return s;
          } else if (stmt->column_type(c) == SQLITE_BLOB) {
            auto b = stmt->get_blob(c);
            if (!b.empty()) return std::string(b.begin(), b.end());
          }
          return std::nullopt;
        };
        const auto lid = cell(0);
        const auto phone = cell(1);
        const auto jid = cell(2);
        auto name = cell(3);
        if (!name) name = cell(4);
        const WhatsappContacts::Entry entry{phone, name};
        if (lid) out.by_lid.emplace(*lid, entry);
        if (phone) out.by_phone.insert_or_assign(digits_of(*phone), entry);
        if (jid && jid->find('@') != std::string::npos) {
          out.by_phone.emplace(jid->substr(0, jid->find('@')), entry);
        }
      }
    }
    return out;
  }

  static WhatsappContacts::Entry resolve(const std::optional<std::string>& value,
                                         const WhatsappContacts& c) {
    if (!value) return {};
    const std::string& v = *value;
    if (ends_with(v, "@lid")) {
      auto it = c.by_lid.find(v);
      return it != c.by_lid.end() ? it->second : WhatsappContacts::Entry{};
    }
    if (ends_with(v, "@g.us")) return {};
    if (ends_with(v, "@s.whatsapp.net")) {
      const std::string digits = v.substr(0, v.find('@'));
      auto it = c.by_phone.find(digits);
      WhatsappContacts::Entry e = it != c.by_phone.end() ? it->second : WhatsappContacts::Entry{};
      if (!e.first) e.first = "+" + digits;
      return e;
    }
    if (!v.empty() && v.front() == '+') {
      auto it = c.by_phone.find(digits_of(v));
      if (it != c.by_phone.end()) return {std::nullopt, it->second.second};
    }
    return {};
  }

  // "Name (identifier)", or whichever is known; a name that only repeats the number is dropped.
  static std::optional<std::string> describe_party(const json::Value& data, const char* prefix) {
    const std::string p(prefix);
    std::optional<std::string> name = text_of(data.find(p + "_display_name"));
    if (!name) name = text_of(data.find(p + "_resolved_name"));
    std::optional<std::string> id = text_of(data.find(p + "_resolved_phone_number"));
    if (!id) id = text_of(data.find(p + "_identifier"));
    if (name && id) {
      const std::string name_digits = digits_of(*name);
      if (!name_digits.empty() && name_digits == digits_of(*id)) return id;
      return *name + " (" + *id + ")";
    }
    return name ? name : id;
  }

  static std::string describe_delta(double seconds) {
    char buf[64];
    if (seconds >= 86400) {
      std::snprintf(buf, sizeof buf, "%.0f days", seconds / 86400);
    } else {
      std::snprintf(buf, sizeof buf, "%.0f hours", seconds / 3600);
    }
    return buf;
  }

  static scan::Record make_record(IosRun& run, const Statement& stmt, const Query& q, int pk_col,
                                  const IosFile& file, std::optional<WhatsappContacts>& contacts) {
    scan::Record r;
    json::Value data = json::Value::object();
    std::array<std::optional<UnixMicros>, kFields.size()> times{};
    for (std::size_t i = 0; i < kFields.size(); ++i) {
      const int col = q.at[i];
      if (col < 0 || stmt.is_null(col)) {
        data.set(kFields[i].name, nullptr);
        continue;
      }
      switch (kFields[i].kind) {
        case Kind::kRaw:
          data.set(kFields[i].name, column_json(stmt, col));
          break;
        case Kind::kDate:
          times[i] = mac_time(stmt, col);
          data.set(kFields[i].name,
                   times[i] ? json::Value(format_mvt_time(*times[i])) : json::Value(nullptr));
          break;
        case Kind::kDirection: {
          const std::int64_t d = stmt.column_type(col) == SQLITE_INTEGER ? stmt.get_int64(col) : -1;
          data.set(kFields[i].name, d == 0   ? json::Value("INCOMING")
                                    : d == 1 ? json::Value("OUTGOING")
                                             : json::Value(nullptr));
          break;
        }
        case Kind::kHex:
          data.set(kFields[i].name, stmt.column_type(col) == SQLITE_BLOB
                                        ? json::Value(hex_upper(stmt.get_blob(col)))
                                        : column_json(stmt, col));
          break;
      }
    }
    data.set("table_id", column_json(stmt, pk_col));

    const std::optional<std::string> bundle = text_of(data.find("bundle_id"));
    if (bundle == kWhatsappBundleId) {
      if (!contacts) contacts = load_whatsapp_contacts(run);
      const std::array<std::pair<const char*, std::array<const char*, 2>>, 3> parties = {{
          {"sender", {"sender_identifier", "custom_id"}},
          {"recipient", {"recipient_identifier", nullptr}},
          {"domain", {"domain_identifier", nullptr}},
      }};
      for (const auto& [prefix, fields] : parties) {
        WhatsappContacts::Entry e;
        for (const char* f : fields) {
          if (f == nullptr) continue;
          e = resolve(text_of(data.find(f)), *contacts);
          if (e.first || e.second) break;
        }
        const std::string p(prefix);
        data.set(p + "_resolved_phone_number", e.first ? json::Value(*e.first) : json::Value());
        data.set(p + "_resolved_name", e.second ? json::Value(*e.second) : json::Value());
      }
    }

    // The timeline text: "[bundle] account DIRECTION from X to Y (group: G): content".
    std::optional<std::string> sender = describe_party(data, "sender");
    std::optional<std::string> recipient = describe_party(data, "recipient");
    if (!recipient) recipient = describe_party(data, "domain");
    const std::optional<std::string> direction = text_of(data.find("direction"));
    if (!sender && direction == "OUTGOING") sender = "local user";
    if (!recipient && direction == "INCOMING") recipient = "local user";
    std::string text = "[" + bundle.value_or("None") + "]";
    if (auto account = text_of(data.find("account"))) text += " " + *account;
    if (direction) text += " " + *direction;
    text += " from " + sender.value_or("unknown") + " to " + recipient.value_or("unknown");
    if (auto group = text_of(data.find("group_name"))) text += " (group: " + *group + ")";
    if (auto content = text_of(data.find("content"))) text += ": " + *content;

    const std::optional<UnixMicros> start = times[kStartField];
    const std::optional<UnixMicros> end = times[kEndField];
    if (start) r.timeline.push_back({*start, "start_date", text});
    if (end && end != start) r.timeline.push_back({*end, "end_date", text});
    if (const std::optional<UnixMicros> created = times[kCreationField]) {
      if (!start) {
        r.timeline.push_back({*created, "interactions_creation_date", text});
      } else {
        const double delta = static_cast<double>(*created - *start) / 1e6;
        if (std::fabs(delta) >= kCreationDivergenceSeconds) {
          r.timeline.push_back({*created, "interactions_creation_date",
                                "Interaction record created " + describe_delta(std::fabs(delta)) +
                                    (delta > 0 ? " after" : " before") + " the event: " + text});
        }
      }
    }
    if (const std::optional<std::string> party = describe_party(data, "sender")) {
      for (const ContactEvent& e : kContactEvents) {
        for (std::size_t i = 0; i < kFields.size(); ++i) {
          if (std::string_view(kFields[i].name) != e.field || !times[i]) continue;
          r.timeline.push_back({*times[i], e.field, e.before + *party + e.after});
        }
      }
    }

    r.time = start;
    if (bundle) r.observe(ObservableKind::kAppId, *bundle, "bundle_id");
    if (auto target = text_of(data.find("target_bundle_id")); target && target != bundle) {
      r.observe(ObservableKind::kAppId, *target, "target_bundle_id");
    }
    const json::Value* pk = data.find("table_id");
    r.provenance = file.provenance(
        "ZINTERACTIONS Z_PK " +
        (pk->type() == json::Type::kInt ? std::to_string(pk->as_int()) : std::string("?")));
    r.data = std::move(data);
    return r;
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_interaction_c_module() {
  return std::make_unique<InteractionCModule>();
}

}  // namespace spyglass::artifacts::ios
