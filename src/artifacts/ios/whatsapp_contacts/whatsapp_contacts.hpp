#pragma once
// WhatsApp's address book (ContactsV2.sqlite): identifiers (JID, LID, phone number), names,
// "about" texts and the per-contact disappearing-messages timer.
#include <memory>

#include "artifacts/ios/ios_module.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_whatsapp_contacts_module();

// AppDomainGroup-group.net.whatsapp.WhatsApp.shared ContactsV2.sqlite (fileID
// b8548dc30aa1030df0ce18ef08b882cf7ab5212f); interaction_c reads it too, to resolve LIDs.
IosLocator whatsapp_contacts_locator();

}  // namespace spyglass::artifacts::ios
