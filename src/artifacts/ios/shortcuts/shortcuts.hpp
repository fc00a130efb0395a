#pragma once
// User-made Shortcuts (Shortcuts.sqlite): names, dates and the URLs their actions open or fetch.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_shortcuts_module();

struct ShortcutActions {
  std::size_t count = 0;                 // actions in the list
  std::vector<std::string> identifiers;  // WFWorkflowActionIdentifier, in order
  std::vector<std::string> urls;         // distinct, in order of appearance
};

// ZSHORTCUTACTIONS.ZDATA: a plist (binary, or XML) whose root is the action list, or a
// dict holding it under WFWorkflowActions (the .shortcut file layout). Every string in the
// actions' WFWorkflowActionParameters is searched for http(s) links, at any depth.
Result<ShortcutActions> parse_shortcut_actions(std::string_view bytes);

Result<void> read_shortcuts(const formats::sqlite::Database& db, const IosFile& file,
                            scan::RecordSink& sink);

}  // namespace spyglass::artifacts::ios
