#pragma once
// Kaspersky's triangle_check method for Operation Triangulation, on an iOS backup: a timeline
// of the few events the infection leaves (SMS attachment folders and preference files touched,
// traffic by a handful of system processes, two location bundles stopping), an exact
// detection (network usage by "BackupAgent", a process modern iOS no longer has) and a
// heuristic one (events of at least two kinds within a 5-minute, 10-event window).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/alert.hpp"
#include "scan/module.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {

std::unique_ptr<scan::Module> make_triangle_check_module();

// The kinds of event the heuristic weighs. kSmsAttachment is a real attachment (deeper than
// Library/SMS/Attachments/xx/yy): not suspicious, and a window holding one is not reported,
// since a received attachment explains the folder changes around it.
enum class TriangleClass { kSmsAttachmentDir, kSmsAttachment, kFile, kNet, kLocation };
std::string_view triangle_class_name(TriangleClass c);  // "sms_attachment_dir", ...

enum class TriangleKind {
  kModified,        // MBFile LastModified (M)
  kStatusChanged,   // MBFile LastStatusChange (C)
  kBirth,           // MBFile Birth (B)
  kNetFirst,        // DataUsage ZPROCESS.ZFIRSTTIMESTAMP
  kNetLast,         // DataUsage ZPROCESS.ZTIMESTAMP
  kNetLive,         // DataUsage ZLIVEUSAGE.ZTIMESTAMP
  kNetBaseline,     // osanalytics netUsageBaseline date
  kLocationStopped  // locationd clients.plist LocationTimeStopped
};
std::string_view triangle_kind_name(TriangleKind k);  // "file_modified", ...

struct TriangleEvent {
  UnixMicros time = 0;
  TriangleClass cls = TriangleClass::kFile;
  TriangleKind kind = TriangleKind::kModified;
  std::string subject;      // relative path, process name or locationd client key
  std::string description;  // "file modification: Library/SMS/Attachments/0a (MediaDomain)"
  std::string source;       // "Manifest.db", "DataUsage.sqlite", "clients.plist", ...
  report::Provenance provenance;
};

// (time, class, description): the order of the timeline, the windows and the outputs.
void sort_triangle_events(std::vector<TriangleEvent>& events);

inline constexpr std::size_t kTriangleWindowEvents = 10;
inline constexpr UnixMicros kTriangleWindowMicros = 5 * 60 * 1'000'000LL;

// A window [first, last) of the sorted events that the heuristic flags, with its classes.
struct TriangleWindow {
  std::size_t first = 0;
  std::size_t last = 0;
  std::vector<TriangleClass> classes;  // sorted, at least two
};

// Every start event opens a window of at most kTriangleWindowEvents events no later than
// kTriangleWindowMicros after it. A window is flagged when it holds events of at least two
// classes among SMS attachment folder, file, net and location, where every SMS attachment
// folder in it has both an M and a C event in it, and it holds no real attachment. Windows
// starting inside a reported window are skipped: one alert per cluster of events. `events`
// must be sorted.
std::vector<TriangleWindow> find_triangle_windows(const std::vector<TriangleEvent>& events);

// Library/SMS/Attachments/<a> or <a>/<b> (three or four '/'): the folders the infection
// touches; deeper paths are attachments.
bool is_sms_attachment_dir(std::string_view relative_path);

}  // namespace spyglass::artifacts::ios
