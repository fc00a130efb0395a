#include "scan/module.hpp"

namespace spyglass::scan {

std::string_view family_name(Family family) {
  switch (family) {
    case Family::kIos: return "ios";
    case Family::kAndroid: return "android";
    case Family::kNet: return "net";
    case Family::kText: return "text";
  }
  return "unknown";
}

std::string_view module_status_name(ModuleStatus status) {
  switch (status) {
    case ModuleStatus::kOk: return "ok";
    case ModuleStatus::kNotPresent: return "not_present";
    case ModuleStatus::kFailed: return "failed";
  }
  return "unknown";
}

Result<std::filesystem::path> ModuleContext::scratch_dir() {
  std::error_code ec;
  std::filesystem::create_directories(scratch_, ec);
  if (ec) {
    return make_error(ErrorCode::kIo,
                      "cannot create scratch folder " + scratch_.string() + ": " + ec.message());
  }
  return scratch_;
}

std::string module_data_file(const ModuleSpec& spec) {
  return spec.data_file.empty() ? spec.slug + ".json" : spec.data_file;
}

}  // namespace spyglass::scan
