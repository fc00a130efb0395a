#pragma once
// The command line recorded in manifest.json, with secrets removed.
#include <string>
#include <vector>

namespace spyglass::manifest {

inline constexpr const char* kRedacted = "<redacted>";

// Replaces the value of every option whose name suggests a secret with "<redacted>".
// Rules (docs/manifest.md):
//  - a long option (--name or --name=value) is secret when its name, case-insensitively,
//    contains "password", "passwd", "passphrase", "secret", "token" or "key";
//  - except the path options --key-file, --sign-key and --pubkey, which name files: a path
//    is not a secret, and the investigator needs it to reproduce the run;
//  - names starting with "ask-" or "no-" are flags without a value (--ask-password);
//  - the short option -p (the reference tool's password flag), as "-p VALUE" or "-pVALUE";
//  - "--name=value" keeps the name and redacts the value; "--name value" redacts the next
//    argument whatever it looks like, because a password may well start with '-';
//  - after "--" nothing is an option and nothing is redacted.
// Over-redacting a harmless value costs little; leaking a password into a signed file that
// is handed to courts and colleagues cannot be undone.
std::vector<std::string> redact_command_line(const std::vector<std::string>& argv);

}  // namespace spyglass::manifest
