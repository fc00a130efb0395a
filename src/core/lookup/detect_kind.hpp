#pragma once
// Guessing what an analyst typed into `spyglass iocs match VALUE` when no --type is given.
// The rule (documented in docs/matching.md):
//   contains "://"                            -> url
//   an IPv4/IPv6 literal (brackets allowed)   -> ip
//   32, 40, 64 or 128 hex digits              -> hash
//   8-4-4-4-12 hex UUID                       -> profile
//   local@domain with no space                -> email
//   starts with '/'                           -> file-path
//   contains whitespace                       -> text
//   anything else (a name)                    -> tried as domain, app-id, android-property,
//                                                process and file-name at once
#include <string_view>
#include <vector>

#include "core/matching/observable.hpp"

namespace spyglass::lookup {

std::vector<matching::ObservableKind> detect_kinds(std::string_view value);

// Parses a CLI type name (domain, url, ip, process, email, file-name, file-path, hash,
// app-id, cert, android-property, profile, text). Empty when unknown.
std::vector<matching::ObservableKind> kinds_for_type_name(std::string_view name);

// The CLI type names, for --help and error messages.
std::string_view type_names_help();

}  // namespace spyglass::lookup
