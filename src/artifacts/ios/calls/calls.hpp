#pragma once
// Phone, FaceTime and third-party (CallKit: WhatsApp, Signal...) calls from CallHistory.storedata.
#include <memory>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_calls_module();

// Reads ZCALLRECORD (one record per row, ordered by date); kMalformed on an unknown schema.
Result<void> read_calls(const formats::sqlite::Database& db, const IosFile& file,
                        scan::RecordSink& sink);

// "WhatsApp" for net.whatsapp.WhatsApp, "FaceTime", "Phone"; other providers as stored.
std::string call_provider_label(std::string_view provider);

}  // namespace spyglass::artifacts::ios
