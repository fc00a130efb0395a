#include "artifacts/ios/contacts/contacts.hpp"

#include <string>
#include <utility>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;

// ABMultiValue.property (the old AddressBook framework's property ids).
constexpr std::int64_t kPropertyEmail = 4;
constexpr std::int64_t kPropertyUrl = 22;

bool looks_like_email(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find_first_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<void> read_contacts(const formats::sqlite::Database& db, const IosFile& file,
                           scan::RecordSink& sink) {
  auto person = TableColumns::read(db, "ABPerson");
  if (!person) return tl::unexpected(person.error());
  if (auto ok = require_columns(*person, {"First", "Middle", "Last", "Organization"}); !ok) {
    return ok;
  }
  auto multi = TableColumns::read(db, "ABMultiValue");
  if (!multi) return tl::unexpected(multi.error());
  if (auto ok = require_columns(*multi, {"record_id", "property", "label", "value"}); !ok) {
    return ok;
  }
  auto labels = TableColumns::read(db, "ABMultiValueLabel");
  if (!labels) return tl::unexpected(labels.error());
  // Labels ("_$!<Mobile>!$_", or the user's own) live in their own table; without it the
  // label id alone is kept.
  const bool has_labels = labels->has("value");
  const std::string sql =
      std::string(
          "SELECT multi.value, person.First, person.Middle, person.Last, person.Organization, "
          "multi.property, ") +
      (has_labels ? "lbl.value" : "multi.label") +
      ", person.ROWID, multi.ROWID FROM ABPerson person "
      "JOIN ABMultiValue multi ON person.ROWID = multi.record_id " +
      (has_labels ? "LEFT JOIN ABMultiValueLabel lbl ON multi.label = lbl.ROWID " : "") +
      "WHERE multi.value IS NOT NULL ORDER BY person.ROWID, multi.ROWID";
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  while (true) {
    auto more = stmt->step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    scan::Record rec;
    // MVT's column names, then the kind of value and its label.
    rec.data.set("value", column_json(*stmt, 0));
    rec.data.set("first", column_json(*stmt, 1));
    rec.data.set("middle", column_json(*stmt, 2));
    rec.data.set("last", column_json(*stmt, 3));
    rec.data.set("organization", column_json(*stmt, 4));
    rec.data.set("property", column_json(*stmt, 5));
    rec.data.set("label", column_json(*stmt, 6));
    rec.data.set("person_id", stmt->get_int64(7));

    const std::string value(stmt->get_text(0));
    const std::optional<std::int64_t> property = stmt->get_optional_int64(5);
    if (property == kPropertyEmail || (!property && looks_like_email(value))) {
      if (!value.empty()) rec.observe(ObservableKind::kEmail, value, "value");
    } else if (property == kPropertyUrl && !value.empty()) {
      rec.observe(ObservableKind::kUrl, value, "value");
    }
    rec.provenance = file.provenance("ABPerson ROWID " + std::to_string(stmt->get_int64(7)) +
                                     ", ABMultiValue UID " + std::to_string(stmt->get_int64(8)));
    sink.emit(std::move(rec));
  }
  return {};
}

namespace {

class ContactsModule final : public IosModule {
 public:
  ContactsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "contacts";
    s.display_name = "Contacts";
    s.summary = "Address-book entries: names, numbers, e-mail addresses (AddressBook.sqlitedb)";
    s.locator.backup_files = {{"HomeDomain", "Library/AddressBook/AddressBook.sqlitedb"}};
    s.locator.fs_globs = {"private/var/mobile/Library/AddressBook/AddressBook.sqlitedb"};
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& f : run.files) {
      auto db = run.evidence.open_sqlite(f);
      if (!db) return run.file_failed(f, db.error());
      if (auto ok = read_contacts(*db, f, run.sink); !ok) return run.file_failed(f, ok.error());
    }
    return scan::Status::ok();
  }
};

}  // namespace

std::unique_ptr<scan::Module> make_contacts_module() { return std::make_unique<ContactsModule>(); }

}  // namespace spyglass::artifacts::ios
