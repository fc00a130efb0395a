#pragma once
// identityservicesd's cache of iMessage/FaceTime lookups
// (com.apple.identityservices.idstatuscache.plist): every e-mail address and phone number the
// device asked Apple about, per service, with the time of the first lookup. Pegasus' zero-click
// iMessage exploits left lookups of attacker accounts here.
#include <memory>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_id_status_cache_module();

// One record per {service: {user: {LookupDate, IDStatus}}} entry. kMalformed for bytes that
// are no plist (or exceed the reader's bounds) and for an unknown layout.
Result<void> read_id_status_cache(std::string_view bytes, const IosFile& file,
                                  scan::RecordSink& sink);

// The user key as MVT writes it: each NUL byte becomes the 4-character text "\x00".
std::string escape_nuls(std::string_view user);

}  // namespace spyglass::artifacts::ios
