#pragma once
// TCC.db: which apps and binaries were granted camera, microphone, contacts, location ...
// A spyware process or an unknown path holding such grants is a strong lead.
#include <memory>
#include <string>
#include <string_view>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_tcc_module();

// Reads the access table of every known schema generation (auth_value/auth_reason,
// allowed/prompt_count with or without last_modified). kMalformed for an unknown one.
Result<void> read_tcc(const formats::sqlite::Database& db, const IosFile& file,
                      scan::RecordSink& sink);

// "kTCCServiceCamera" -> "camera"; unknown services lose their kTCCService prefix only.
std::string tcc_service_name(std::string_view service);

}  // namespace spyglass::artifacts::ios
