#pragma once
// SMS and iMessage messages from sms.db: links in their text, Apple's threat notifications.
#include <memory>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_sms_module();

// HomeDomain Library/SMS/sms.db (fileID 3d0d7e5fb2ce288813306e4d4636395e047a3d28), also read
// by sms_attachments.
IosLocator sms_db_locator();

// Whether the text starts with one of Apple's threat notifications (sent by iMessage to
// people targeted by mercenary spyware).
bool is_apple_threat_notification(std::string_view text);

}  // namespace spyglass::artifacts::ios
