#include "artifacts/ios/sms_attachments/sms_attachments.hpp"

#include "artifacts/ios/sms/sms.hpp"

namespace spyglass::artifacts::ios {
namespace {

std::string text_of(const json::Value* v, std::string_view if_null) {
  if (v == nullptr || v->is_null()) return std::string(if_null);
  if (v->type() == json::Type::kString) return v->as_string();
  if (v->type() == json::Type::kInt) return std::to_string(v->as_int());
  return std::string(if_null);
}

std::int64_t int_of(const json::Value* v) {
  return v != nullptr && v->type() == json::Type::kInt ? v->as_int() : 0;
}

class SmsAttachmentsModule final : public IosModule {
 public:
  SmsAttachmentsModule() : IosModule(make_spec()) {}

 private:
  static IosModuleSpec make_spec() {
    IosModuleSpec s;
    s.slug = "sms_attachments";
    s.display_name = "SMSAttachments";
    s.summary = "Attachments of SMS and iMessage messages (sms.db): paths and exploit traces";
    s.locator = sms_db_locator();
    return s;
  }

  scan::Status run_files(IosRun& run) override {
    for (const IosFile& file : run.files) {
      if (scan::Status st = read_db(run, file); st.code != scan::ModuleStatus::kOk) return st;
    }
    return scan::Status::ok();
  }

  static scan::Status read_db(IosRun& run, const IosFile& file) {
    auto db = run.evidence.open_sqlite(file);
    if (!db) return run.file_failed(file, db.error());
    auto check = [&](std::string_view table,
                     std::initializer_list<std::string_view> required) -> Result<void> {
      auto cols = TableColumns::read(*db, table);
      if (!cols) return tl::unexpected(cols.error());
      return require_columns(*cols, required);
    };
    for (Result<void> r :
         {check("attachment", {"ROWID", "guid", "created_date", "filename", "is_outgoing",
                               "transfer_name", "total_bytes"}),
          check("message_attachment_join", {"message_id", "attachment_id"}),
          check("message", {"ROWID", "service", "handle_id"}), check("handle", {"ROWID", "id"})}) {
      if (!r) return run.file_failed(file, r.error());
    }
    auto stmt = db->prepare(
        "SELECT attachment.ROWID AS attachment_id, attachment.*, message.service AS service, "
        "handle.id AS phone_number FROM attachment "
        "LEFT JOIN message_attachment_join ON message_attachment_join.attachment_id = "
        "attachment.ROWID "
        "LEFT JOIN message ON message.ROWID = message_attachment_join.message_id "
        "LEFT JOIN handle ON handle.ROWID = message.handle_id ORDER BY attachment.ROWID");
    if (!stmt) return run.file_failed(file, stmt.error());
    while (true) {
      auto row = stmt->step();
      if (!row) return run.file_failed(file, row.error());
      if (!*row) break;
      run.sink.emit(make_record(*stmt, file));
    }
    return scan::Status::ok();
  }

  static scan::Record make_record(const formats::sqlite::Statement& stmt, const IosFile& file) {
    json::Value data = row_json(stmt);
    const std::optional<UnixMicros> created = from_mac_time_auto(int_of(data.find("created_date")));
    const std::optional<UnixMicros> started = from_mac_time_auto(int_of(data.find("start_date")));
    const bool outgoing = int_of(data.find("is_outgoing")) == 1;
    const json::Value* user_info = data.find("user_info");
    const bool has_user_info = user_info != nullptr && !user_info->is_null();
    const std::string filename = text_of(data.find("filename"), "NULL");
    data.set("filename", filename);
    data.set("isodate", created ? json::Value(format_mvt_time(*created)) : json::Value(nullptr));
    data.set("start_date", started ? json::Value(format_mvt_time(*started)) : json::Value(nullptr));
    data.set("direction", outgoing ? "sent" : "received");
    data.set("has_user_info", has_user_info);
    data.set("service", text_of(data.find("service"), "Unknown"));

    scan::Record r;
    r.time = created;
    if (created) {
      r.timeline.push_back({*created, "sms_attachment",
                            text_of(data.find("service"), "None") + ": Attachment \"" +
                                text_of(data.find("transfer_name"), "None") + "\" " +
                                (outgoing ? "sent" : "received") + " from " +
                                text_of(data.find("phone_number"), "None") + " with " +
                                text_of(data.find("total_bytes"), "0") + " bytes (is_sticker: " +
                                (int_of(data.find("is_sticker")) == 1 ? "1" : "0") +
                                ", has_user_info: " + (has_user_info ? "True" : "False") + ")"});
    }
    if (filename != "NULL") {
      r.observe(matching::ObservableKind::kFilePath, filename, "filename",
                report::AlertLevel::kHigh);
    }
    if (!outgoing && is_suspicious_attachment_path(filename)) {
      r.flag(report::AlertLevel::kMedium, "Suspicious iMessage attachment " + filename +
                                              " (stored as /var/tmp/...-1, as "
                                              "in known exploit deliveries)");
    }
    r.provenance = file.provenance("attachment ROWID " + text_of(data.find("attachment_id"), ""));
    r.data = std::move(data);
    return r;
  }
};

}  // namespace

bool is_suspicious_attachment_path(std::string_view filename) {
  return filename.starts_with("/var/tmp/") && filename.ends_with("-1");
}

std::unique_ptr<scan::Module> make_sms_attachments_module() {
  return std::make_unique<SmsAttachmentsModule>();
}

}  // namespace spyglass::artifacts::ios
