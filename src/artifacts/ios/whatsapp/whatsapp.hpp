#pragma once
// WhatsApp messages (ChatStorage.sqlite): links in messages and link previews, the LID to
// phone number pairs (LID.sqlite) and one summary per chat.
#include <memory>
#include <string_view>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_whatsapp_module();

// Whether `url` points at one of WhatsApp's own media or profile-picture hosts
// (mmg.whatsapp.net, mmg-fna.whatsapp.net, pps.whatsapp.net, media*.whatsapp.net): encrypted
// attachment blobs, not links anyone sent.
bool is_whatsapp_media_link(std::string_view url);

}  // namespace spyglass::artifacts::ios
