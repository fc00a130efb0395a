#pragma once
// Attachments of SMS/iMessage messages (sms.db): file paths, and the /var/tmp/...-1 sign of
// attachments written by an exploit.
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_sms_attachments_module();

// A received attachment stored as /var/tmp/<name>-1 (seen in Pegasus FORCEDENTRY cases).
bool is_suspicious_attachment_path(std::string_view filename);

}  // namespace spyglass::artifacts::ios
