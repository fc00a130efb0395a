#include "scan/timeline_merge.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <queue>
#include <string>

#include "core/report/timesketch.hpp"
#include "formats/json/json_writer.hpp"
#include "support/fd_write.hpp"

namespace spyglass::scan {
namespace fs = std::filesystem;
namespace {

// An output file written through a large buffer; errors name the file.
class OutFile {
 public:
  static Result<std::unique_ptr<OutFile>> create(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return make_error(ErrorCode::kIo, "cannot create " + path.string());
    return std::unique_ptr<OutFile>(new OutFile(fd, path));
  }
  ~OutFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  Result<void> write(std::string_view bytes) {
    buffer_.append(bytes);
    if (buffer_.size() >= kFlushAt) return flush();
    return {};
  }
  Result<void> close() {
    if (auto r = flush(); !r) return r;
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return make_error(ErrorCode::kIo, "cannot write " + path_.string());
    return {};
  }

 private:
  static constexpr std::size_t kFlushAt = std::size_t{1} << 20;
  OutFile(int fd, fs::path path) : fd_(fd), path_(std::move(path)) {
    buffer_.reserve(kFlushAt + (kFlushAt >> 2));
  }
  Result<void> flush() {
    if (auto r = write_all(fd_, buffer_, path_); !r) return r;
    buffer_.clear();
    return {};
  }

  int fd_;
  fs::path path_;
  std::string buffer_;
};

// The timed alerts as one more sorted source, after the events at equal (time, module).
class AlertSource final : public TimelineLineSource {
 public:
  struct Item {
    UnixMicros time;
    std::size_t module;
    std::uint64_t index;
    std::string jsonl;
  };
  explicit AlertSource(std::vector<Item> items) : items_(std::move(items)) {
    std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
      if (a.time != b.time) return a.time < b.time;
      if (a.module != b.module) return a.module < b.module;
      return a.index < b.index;
    });
  }
  Result<bool> next() override {
    if (next_ >= items_.size()) return false;
    const Item& item = items_[next_++];
    line_.time = item.time;
    line_.seq = item.index;
    line_.jsonl = item.jsonl;
    module_ = item.module;
    return true;
  }
  const TimelineLine& line() const override { return line_; }
  std::size_t module() const { return module_; }

 private:
  std::vector<Item> items_;
  std::size_t next_ = 0;
  std::size_t module_ = 0;
  TimelineLine line_;
};

struct HeapItem {
  UnixMicros time;
  std::size_t module;
  int kind;  // 0 event, 1 alert
  std::uint64_t seq;
  std::size_t source;
};

struct Later {
  bool operator()(const HeapItem& a, const HeapItem& b) const {
    if (a.time != b.time) return a.time > b.time;
    if (a.module != b.module) return a.module > b.module;
    if (a.kind != b.kind) return a.kind > b.kind;
    return a.seq > b.seq;
  }
};

// The csv rows already written for the current (time, module): duplicates can only be there.
// Groups are mostly one or two rows, compared byte for byte (copied into reusable chunks, no
// allocation per row). A backup can restore hundreds of thousands of files with one time,
// though: past kExactRows a group keeps a 128-bit BLAKE2b digest per row instead of the
// row, so its memory stays ~25 bytes a row (two different rows of one group would have to
// share a 128-bit keyed-quality digest to be merged).
class DuplicateGroup {
 public:
  DuplicateGroup() {
    // Only picks the fastest BLAKE2b code; hashing works (and agrees) either way.
    if (sodium_init() < 0) return;
  }

  // True when `csv` was seen in this group; remembers it otherwise.
  bool seen(UnixMicros time, std::size_t module, std::string_view csv) {
    if (!active_ || time != time_ || module != module_) start(time, module);
    if (digest_mode_) return !digests_.insert(digest(csv));
    const std::uint64_t h = std::hash<std::string_view>{}(csv);
    if (count_ * 2 >= slots_.size()) grow();
    std::size_t i = h & (slots_.size() - 1);
    while (slots_[i].used) {
      if (slots_[i].hash == h && slots_[i].text == csv) return true;
      i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = {h, keep(csv), true};
    used_.push_back(i);
    ++count_;
    if (count_ >= kExactRows) to_digests();
    return false;
  }

 private:
  using Digest = std::array<unsigned char, 16>;
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view text;
    bool used = false;
  };
  // Open addressing over digests (their first bytes are already uniform).
  class DigestSet {
   public:
    bool insert(const Digest& d) {
      if ((count_ + 1) * 4 > slots_.size() * 3) grow();
      std::size_t i = index(d);
      while (used_[i]) {
        if (slots_[i] == d) return false;
        i = (i + 1) & (slots_.size() - 1);
      }
      slots_[i] = d;
      used_[i] = 1;
      ++count_;
      return true;
    }
    void clear() {
      slots_.clear();
      used_.clear();
      count_ = 0;
    }

   private:
    std::size_t index(const Digest& d) const {
      std::uint64_t v = 0;
      std::memcpy(&v, d.data(), sizeof v);
      return static_cast<std::size_t>(v) & (slots_.size() - 1);
    }
    void grow() {
      std::vector<Digest> old_slots(std::max<std::size_t>(64, slots_.size() * 2));
      std::vector<std::uint8_t> old_used(old_slots.size(), 0);
      old_slots.swap(slots_);
      old_used.swap(used_);
      count_ = 0;
      for (std::size_t i = 0; i < old_slots.size(); ++i) {
        if (old_used[i]) insert(old_slots[i]);
      }
    }
    std::vector<Digest> slots_;
    std::vector<std::uint8_t> used_;
    std::size_t count_ = 0;
  };

  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  static constexpr std::size_t kExactRows = 4096;

  static Digest digest(std::string_view text) {
    Digest d;
    crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), nullptr, 0);
    return d;
  }

  void start(UnixMicros time, std::size_t module) {
    active_ = true;
    time_ = time;
    module_ = module;
    for (const std::size_t i : used_) slots_[i] = Slot{};
    used_.clear();
    count_ = 0;
    if (slots_.size() > 2 * kExactRows || slots_.empty()) slots_.assign(16, Slot{});
    chunk_ = 0;
    chunk_used_ = 0;
    if (digest_mode_) {
      digest_mode_ = false;
      digests_.clear();
    }
  }
  void to_digests() {
    for (const std::size_t i : used_) digests_.insert(digest(slots_[i].text));
    for (const std::size_t i : used_) slots_[i] = Slot{};
    used_.clear();
    digest_mode_ = true;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    used_.clear();
    for (const Slot& s : old) {
      if (!s.used) continue;
      std::size_t i = s.hash & (slots_.size() - 1);
      while (slots_[i].used) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
      used_.push_back(i);
    }
  }
  // A copy that stays put until the group ends (chunks are never reallocated).
  std::string_view keep(std::string_view text) {
    while (true) {
      if (chunk_ == chunks_.size()) {
        const std::size_t size = std::max(kChunk, text.size());
        chunks_.push_back({std::make_unique<char[]>(size), size});
        chunk_used_ = 0;
      }
      Chunk& c = chunks_[chunk_];
      if (c.size - chunk_used_ >= text.size()) {
        char* at = c.bytes.get() + chunk_used_;
        if (!text.empty()) std::memcpy(at, text.data(), text.size());
        chunk_used_ += text.size();
        return {at, text.size()};
      }
      ++chunk_;
      chunk_used_ = 0;
    }
  }

  struct Chunk {
    std::unique_ptr<char[]> bytes;
    std::size_t size;
  };
  bool active_ = false;
  UnixMicros time_ = 0;
  std::size_t module_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::size_t> used_;
  std::size_t count_ = 0;
  std::vector<Chunk> chunks_;
  std::size_t chunk_ = 0;
  std::size_t chunk_used_ = 0;
  bool digest_mode_ = false;
  DigestSet digests_;
};

}  // namespace

Result<TimelineMergeStats> merge_timelines(const TimelineMergeInput& input, const fs::path& out,
                                           const TimelineEventObserver& observe) {
  std::vector<std::unique_ptr<TimelineLineSource>> sources;
  std::vector<std::size_t> source_module;
  std::uint64_t rows = 0;
  for (std::size_t m = 0; m < input.modules.size(); ++m) {
    const TimelineRuns* runs = input.modules[m];
    if (runs == nullptr || runs->size() == 0) continue;
    rows += runs->size();
    auto list = runs->sources();
    if (!list) return tl::unexpected(list.error());
    for (auto& s : *list) {
      sources.push_back(std::move(s));
      source_module.push_back(m);
    }
  }
  std::vector<AlertSource::Item> alert_items;
  for (std::size_t k = 0; k < input.alerts.size(); ++k) {
    const report::Alert& a = *input.alerts[k];
    auto v = report::timeline_alert_json(a);
    if (!v) continue;
    alert_items.push_back({*a.event_time, input.alert_module[k], k, json::to_json_line(*v) + '\n'});
  }
  if (rows == 0 && input.alerts.empty()) return TimelineMergeStats{};
  const std::size_t alert_source = sources.size();
  sources.push_back(std::make_unique<AlertSource>(std::move(alert_items)));
  source_module.push_back(0);

  std::unique_ptr<OutFile> csv;
  if (rows != 0) {
    auto f = OutFile::create(out / "timeline.csv");
    if (!f) return tl::unexpected(f.error());
    csv = std::move(*f);
    if (auto r = csv->write("\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n"); !r) {
      return tl::unexpected(r.error());
    }
  }
  auto jsonl = OutFile::create(out / report::kTimelineJsonlFileName);
  if (!jsonl) return tl::unexpected(jsonl.error());

  std::priority_queue<HeapItem, std::vector<HeapItem>, Later> heap;
  auto advance = [&](std::size_t i) -> Result<void> {
    auto more = sources[i]->next();
    if (!more) return tl::unexpected(more.error());
    if (!*more) return {};
    const TimelineLine& l = sources[i]->line();
    if (i == alert_source) {
      heap.push({l.time, static_cast<AlertSource&>(*sources[i]).module(), 1, l.seq, i});
    } else {
      heap.push({l.time, source_module[i], 0, l.seq, i});
    }
    return {};
  };
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (auto r = advance(i); !r) return tl::unexpected(r.error());
  }

  TimelineMergeStats stats;
  DuplicateGroup group;
  while (!heap.empty()) {
    const HeapItem top = heap.top();
    heap.pop();
    const TimelineLine& l = sources[top.source]->line();
    if (top.kind == 1) {
      if (auto r = (*jsonl)->write(l.jsonl); !r) return tl::unexpected(r.error());
      ++stats.alerts;
    } else if (group.seen(l.time, top.module, l.csv)) {
      ++stats.duplicates;
    } else {
      if (auto r = csv->write(l.csv); !r) return tl::unexpected(r.error());
      if (auto r = (*jsonl)->write(l.jsonl); !r) return tl::unexpected(r.error());
      if (observe) {
        if (auto r = observe(top.module, l.time, l.jsonl); !r) return tl::unexpected(r.error());
      }
      ++stats.events;
    }
    if (auto r = advance(top.source); !r) return tl::unexpected(r.error());
  }
  if (csv) {
    if (auto r = csv->close(); !r) return tl::unexpected(r.error());
  }
  if (auto r = (*jsonl)->close(); !r) return tl::unexpected(r.error());
  return stats;
}

}  // namespace spyglass::scan
