#include "core/manifest/redact.hpp"

#include <gtest/gtest.h>

namespace spyglass::manifest {
namespace {

using Args = std::vector<std::string>;

TEST(Redact, PasswordValuesInBothForms) {
  EXPECT_EQ(redact_command_line({"spyglass", "check-backup", "--password", "hunter2", "/ev"}),
            (Args{"spyglass", "check-backup", "--password", "<redacted>", "/ev"}));
  EXPECT_EQ(redact_command_line({"spyglass", "--backup-password=hunter2", "/ev"}),
            (Args{"spyglass", "--backup-password=<redacted>", "/ev"}));
  EXPECT_EQ(redact_command_line({"spyglass", "--PassPhrase", "a b", "--api-token=t"}),
            (Args{"spyglass", "--PassPhrase", "<redacted>", "--api-token=<redacted>"}));
}

TEST(Redact, ValueStartingWithDashIsStillRedacted) {
  EXPECT_EQ(redact_command_line({"spyglass", "--password", "--secret-looking"}),
            (Args{"spyglass", "--password", "<redacted>"}));
}

TEST(Redact, KeyNamedOptionsExceptPathOptions) {
  EXPECT_EQ(redact_command_line({"s", "--api-key", "abc", "--key-file", "/k/file",
                                 "--sign-key=me.key", "--pubkey", "me.pub"}),
            (Args{"s", "--api-key", "<redacted>", "--key-file", "/k/file", "--sign-key=me.key",
                  "--pubkey", "me.pub"}));
}

TEST(Redact, ShortPasswordOption) {
  EXPECT_EQ(redact_command_line({"s", "-p", "pw", "-phunter2", "-o", "out"}),
            (Args{"s", "-p", "<redacted>", "-p<redacted>", "-o", "out"}));
}

TEST(Redact, FlagsWithoutValueAndEndOfOptions) {
  EXPECT_EQ(redact_command_line({"s", "--ask-password", "/evidence", "--", "--password", "x"}),
            (Args{"s", "--ask-password", "/evidence", "--", "--password", "x"}));
}

TEST(Redact, OrdinaryArgumentsUntouchedAndTrailingSecretOptionHarmless) {
  const Args plain{"spyglass", "check-backup", "--iocs", "pegasus.stix2", "-o", "out", "/ev"};
  EXPECT_EQ(redact_command_line(plain), plain);
  EXPECT_EQ(redact_command_line({"s", "--password"}), (Args{"s", "--password"}));
  EXPECT_TRUE(redact_command_line({}).empty());
}

}  // namespace
}  // namespace spyglass::manifest
