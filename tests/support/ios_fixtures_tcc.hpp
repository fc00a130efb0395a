#pragma once
// TCC.db (HomeDomain Library/TCC/TCC.db) in the schema generations tccd has written. The
// CREATE TABLE text is tccd's own (iOS simulator runtimes of each era use the same text):
//   kNoPolicy   oldest: allowed/prompt_count, CONSTRAINT key PRIMARY KEY, no policy_id
//   kPolicy     allowed/prompt_count + policy_id (no last_modified)
//   kIos12      allowed/prompt_count + indirect object + last_modified (Unix seconds)
//   kIos14      auth_value/auth_reason/auth_version + last_modified
//   kIos17      kIos14 + pid, pid_version, boot_uuid, last_reminded
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spyglass::testing {

enum class TccSchema { kNoPolicy, kPolicy, kIos12, kIos14, kIos17 };

struct TccAccess {
  std::string service;  // "kTCCServiceCamera"
  std::string client;
  std::int64_t client_type = 0;  // 0 bundle id, 1 absolute path
  // kIos14/kIos17: auth_value (0 denied, 1 unknown, 2 allowed, 3 limited) and auth_reason.
  // Older: allowed (0/1) and prompt_count.
  std::int64_t value = 2;
  std::int64_t reason_or_prompts = 2;
  std::int64_t last_modified = 0;  // Unix seconds (ignored by schemas without it)
};

std::string tcc_db(TccSchema schema, const std::vector<TccAccess>& rows);

}  // namespace spyglass::testing
