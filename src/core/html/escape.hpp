#pragma once
// Everything the report shows from evidence is attacker-controlled: an SMS body, a URL, a
// file name. These functions are the only way evidence text enters the HTML.
#include <cstddef>
#include <string>
#include <string_view>

namespace spyglass::html {

// Upper bound on one displayed value; longer text is cut at a character boundary and the
// number of omitted bytes is shown, so one huge field cannot bloat or hide the page.
inline constexpr std::size_t kMaxDisplayBytes = 4000;

// Appends `text` as HTML text or attribute content (double-quoted attributes only):
//  * & < > " ' become character references;
//  * bidi controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069), zero-width and
//    line/paragraph separators (U+200B-U+200D, U+2028/9, U+FEFF) and C0/C1 controls
//    other than LF and TAB are shown visibly as "⟨U+202E⟩", so a planted override cannot
//    reorder what the reader sees (e.g. make "gpj.exe" read as "exe.jpg");
//  * a byte that is not part of valid UTF-8 is shown as "⟨0xNN⟩".
// LF and TAB are kept (message bodies keep their lines; CSS decides how they render).
void append_escaped(std::string& out, std::string_view text);
std::string escape(std::string_view text);

// As append_escaped, but cuts text longer than `max_bytes` (at a UTF-8 boundary) and notes
// how many bytes were left out.
void append_escaped_bounded(std::string& out, std::string_view text,
                            std::size_t max_bytes = kMaxDisplayBytes);

// Whether a code point is neutralised (shown as ⟨U+XXXX⟩) by append_escaped.
bool is_neutralised(char32_t code_point);

}  // namespace spyglass::html
