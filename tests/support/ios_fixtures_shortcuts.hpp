#pragma once
// Shortcuts.sqlite as the Shortcuts app writes it (Core Data: ZSHORTCUT, ZSHORTCUTACTIONS;
// iOS 14-17 columns) and the action list blob (a binary plist array of
// {WFWorkflowActionIdentifier, WFWorkflowActionParameters}).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/plist/value.hpp"

namespace spyglass::testing {

struct ShortcutAction {
  std::string identifier;  // "is.workflow.actions.openurl"
  formats::plist::Dict parameters;
};

// The ZDATA blob: a binary plist of the actions (or an XML one).
std::string shortcut_action_data(const std::vector<ShortcutAction>& actions, bool xml = false);

struct ShortcutRow {
  std::int64_t pk = 0;
  std::optional<std::string> name;
  std::optional<double> created;  // Mac absolute seconds
  std::optional<double> modified;
  std::optional<std::string> description;
  std::optional<std::string> action_data;  // ZDATA; no ZSHORTCUTACTIONS row when absent
};

std::string shortcuts_db(const std::vector<ShortcutRow>& rows);

}  // namespace spyglass::testing
