#pragma once
// SQLite's built-in LIKE (no ESCAPE clause), reproduced so that Manifest.db lookups can run
// over an in-memory copy of the Files table and still select exactly the rows the SQL query
// `relativePath LIKE ?` would: '%' any run of characters, '_' one character, ASCII letters
// case-insensitive, other characters compared as SQLite decodes them (its lenient UTF-8
// reader: malformed sequences become U+FFFD, a stray continuation byte stands for itself),
// and both strings end at their first NUL byte, as the C strings SQLite compares do.
// Checked against SQLite itself on random strings (sqlite_like_test.cpp).
#include <string_view>

namespace spyglass::sources::ios_backup {

bool sqlite_like(std::string_view pattern, std::string_view text);

}  // namespace spyglass::sources::ios_backup
