#pragma once
// Writing a whole buffer to a file descriptor (short writes and EINTR retried); the error
// names the file.
#include <filesystem>
#include <string_view>

#include "support/error.hpp"

namespace spyglass {

Result<void> write_all(int fd, std::string_view bytes, const std::filesystem::path& path);

}  // namespace spyglass
