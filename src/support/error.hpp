#pragma once
// Errors are values inside the library (tl::expected); only the CLI and module runner turn
// them into messages and exit codes.
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace spyglass {

enum class ErrorCode {
  kInvalidArgument,  // the caller (user) asked for something impossible
  kNotFound,         // a file or artifact is absent
  kIo,               // the OS refused a read or write
  kMalformed,        // evidence or indicator bytes do not follow their format
  kUnsupported,      // a valid input that this version does not handle
  kWrongPassword,    // decryption key derivation succeeded but the key is wrong
  kLimitExceeded,    // hostile input tried to make us use unbounded resources
  kInternal,         // a bug
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> make_error(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}

}  // namespace spyglass
