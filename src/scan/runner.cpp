#include "scan/runner.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "core/html/render.hpp"
#include "core/report/outputs.hpp"
#include "core/report/timesketch.hpp"
#include "formats/csv/csv_writer.hpp"
#include "formats/json/json_writer.hpp"
#include "support/file_hash.hpp"
#include "support/output_dir.hpp"

namespace spyglass::scan {
namespace fs = std::filesystem;
namespace {

bool valid_slug(const std::string& slug) {
  if (slug.empty() || slug.front() == '_') return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Result<fs::path> make_temp_scratch() {
  std::error_code ec;
  std::string tmpl = (fs::temp_directory_path(ec) / "spyglass-scratch-XXXXXX").string();
  if (ec || mkdtemp(tmpl.data()) == nullptr) {
    return make_error(ErrorCode::kIo, "cannot create a temporary scratch folder");
  }
  return fs::path(tmpl);
}

Status run_guarded(Module& module, ModuleContext& context, RecordSink& sink) {
  // The module boundary: a throwing module fails alone and the scan goes on.
  try {
    return module.run(context, sink);
  } catch (const std::exception& e) {
    return Status::failed(std::string("unexpected error: ") + e.what());
  } catch (...) {
    return Status::failed("unexpected error of unknown type");
  }
}

json::Value info_json(const ScanOptions& options, const ScanInputs& inputs,
                      const std::vector<FileHash>& hashes, const ScanSummary& summary) {
  std::error_code ec;
  json::Value ioc_files = json::Value::array();
  if (inputs.indicators) {
    std::set<std::string> seen;
    for (const indicators::SourceFile& f : inputs.indicators->files()) {
      std::string abs = fs::absolute(f.path, ec).string();
      if (seen.insert(abs).second) ioc_files.push_back(std::move(abs));
    }
  }
  json::Value hash_list = json::Value::array();
  for (const FileHash& h : hashes) {
    hash_list.push_back(json::obj({{"file_path", h.path.string()}, {"sha256", h.sha256}}));
  }
  json::Value modules = json::Value::array();
  for (const ModuleReport& m : summary.modules) {
    modules.push_back(json::obj({{"slug", m.slug},
                                 {"family", m.family},
                                 {"status", module_status_name(m.status)},
                                 {"records", m.records},
                                 {"alerts", m.alerts},
                                 {"error", m.error.empty() ? json::Value(nullptr)
                                                           : json::Value(m.error)}}));
  }
  json::Value out = json::Value::object();
  out.set("target_path", fs::weakly_canonical(options.evidence, ec).string())
      .set("spyglass_version", SPYGLASS_VERSION)
      .set("date", local_now_mvt())
      .set("ioc_files", std::move(ioc_files))
      .set("hashes", std::move(hash_list))
      .set("command", options.command)
      .set("modules", std::move(modules));
  return out;
}


// A file written through a large buffer; the error names the file.
class BufferedFile {
 public:
  explicit BufferedFile(fs::path path) : path_(std::move(path)) {
    buffer_ = std::make_unique<char[]>(kSize);
    out_.rdbuf()->pubsetbuf(buffer_.get(), kSize);
    out_.open(path_, std::ios::binary | std::ios::trunc);
  }
  void write(std::string_view bytes) {
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  Result<void> close() {
    out_.close();
    if (!out_) return make_error(ErrorCode::kIo, "cannot write " + path_.string());
    return {};
  }

 private:
  static constexpr std::size_t kSize = 1 << 20;
  fs::path path_;
  std::unique_ptr<char[]> buffer_;  // before out_: it must outlive the stream
  std::ofstream out_;
};

// timeline.csv and timeline.jsonl, streamed: rows are read back one at a time (from the
// modules' spills) in (time, registry order, emission order), the order of a stable sort by
// time of the modules' rows concatenated in registry order, with each module's alerts after
// its events at equal times (as report::timeline_jsonl orders them).
Result<void> write_timelines(const std::vector<std::unique_ptr<Module>>& modules,
                             std::vector<ModuleOutcome>& outcomes,
                             const std::vector<const report::Alert*>& alerts,
                             const std::vector<std::size_t>& alert_module, const fs::path& out) {
  struct Ref {
    UnixMicros time;
    std::uint32_t module;
    std::uint32_t kind;  // 0 event, 1 alert
    std::uint64_t index;
  };
  std::vector<Ref> refs;
  std::size_t events = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const ModuleOutcome& o = outcomes[i];
    events += o.timeline.size() + o.spilled_timeline.size();
  }
  refs.reserve(events + alerts.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ModuleOutcome& o = outcomes[i];
    const auto m = static_cast<std::uint32_t>(i);
    for (std::size_t j = 0; j < o.timeline.size(); ++j) {
      refs.push_back({o.timeline[j].time, m, 0, j});
    }
    if (o.timeline_spill) {
      if (auto r = o.timeline_spill->map(); !r) return r;
      for (std::size_t j = 0; j < o.spilled_timeline.size(); ++j) {
        refs.push_back({o.spilled_timeline[j].time, m, 0, o.timeline.size() + j});
      }
    }
  }
  for (std::size_t k = 0; k < alerts.size(); ++k) {
    if (alerts[k]->event_time) {
      refs.push_back({*alerts[k]->event_time, static_cast<std::uint32_t>(alert_module[k]), 1, k});
    }
  }
  if (refs.empty() && alerts.empty()) return {};
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.module != b.module) return a.module < b.module;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.index < b.index;
  });

  std::optional<BufferedFile> csv_file;
  if (events != 0) {
    csv_file.emplace(out / "timeline.csv");
    csv_file->write(csv::format_row({"UTC Timestamp", "Plugin", "Event", "Description"}));
  }
  BufferedFile jsonl(out / report::kTimelineJsonlFileName);
  std::string line;
  for (const Ref& ref : refs) {
    if (ref.kind == 1) {
      auto v = report::timeline_alert_json(*alerts[ref.index]);
      if (!v) continue;
      line = json::to_json_line(*v);
      line += '\n';
      jsonl.write(line);
      continue;
    }
    const ModuleSpec& spec = modules[ref.module]->spec();
    ModuleOutcome& o = outcomes[ref.module];
    report::TimelineRow row;
    if (ref.index < o.timeline.size()) {
      row = o.timeline[ref.index];
    } else {
      auto r = o.timeline_spill->read(o.spilled_timeline[ref.index - o.timeline.size()].offset);
      if (!r) return tl::unexpected(r.error());
      row = std::move(*r);
      row.plugin = spec.display_name;
    }
    csv_file->write(csv::format_row(
        {format_mvt_time(row.time), row.plugin, row.event, row.description}));
    line = json::to_json_line(report::timeline_event_json(
        report::timeline_entry(row, spec.slug, family_name(spec.family), row.provenance)));
    line += '\n';
    jsonl.write(line);
  }
  if (csv_file) {
    if (auto r = csv_file->close(); !r) return r;
  }
  return jsonl.close();
}

}  // namespace

Result<ScanSummary> run_scan(const std::vector<std::unique_ptr<Module>>& modules,
                             const ScanOptions& options, const ScanInputs& inputs,
                             Logger& logger) {
  const LogChannel log(logger, "spyglass.scan");
  std::set<std::string> slugs;
  for (const auto& m : modules) {
    const std::string& slug = m->spec().slug;
    if (!valid_slug(slug)) {
      return make_error(ErrorCode::kInternal, "invalid module slug \"" + slug + "\"");
    }
    if (!slugs.insert(slug).second) {
      return make_error(ErrorCode::kInternal, "two modules share the slug \"" + slug + "\"");
    }
  }
  std::error_code ec;
  if (!fs::exists(options.evidence, ec)) {
    return make_error(ErrorCode::kNotFound,
                      "evidence not found or unreadable: " + options.evidence.string());
  }

  ScanSummary summary;
  fs::path scratch_root;  // removed with its content once every module is done
  if (!options.output.empty()) {
    auto out = prepare_output_dir(options.output, options.evidence, options.overwrite);
    if (!out) return tl::unexpected(out.error());
    summary.output = *out;
    if (auto opened = logger.open_file(summary.output / "command.log"); !opened) {
      return tl::unexpected(opened.error());
    }
    scratch_root = summary.output / ".scratch";
  } else {
    auto tmp = make_temp_scratch();
    if (!tmp) return tl::unexpected(tmp.error());
    scratch_root = *tmp;
  }

  log.info(fmt::format("scanning {} with {} module(s) and {} indicator(s)",
                       options.evidence.string(), modules.size(),
                       inputs.indicators ? inputs.indicators->indicators().size() : 0));
  if (inputs.indicators) {
    for (const indicators::SourceFile& f : inputs.indicators->files()) {
      log.debug(fmt::format("indicator file {} ({}) sha256 {}", f.display_name, f.path,
                            f.sha256));
    }
  }

  std::vector<FileHash> hashes;
  if (options.hash_evidence) {
    auto tree = sha256_tree(options.evidence);
    if (tree) {
      hashes = std::move(*tree);
    } else {
      log.error("cannot hash the evidence: " + tree.error().message);
      summary.output_errors.push_back(tree.error().message);
    }
  }

  if (!summary.output.empty()) {
    // Holds the modules' timeline spills (evidence-derived text): private, and removed with
    // its content before the command ends.
    fs::create_directories(scratch_root, ec);
    fs::permissions(scratch_root, fs::perms::owner_all, fs::perm_options::replace, ec);
  }

  std::vector<ModuleOutcome> outcomes(modules.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < modules.size(); i = next++) {
      Module& module = *modules[i];
      const ModuleSpec& spec = module.spec();
      const LogChannel mlog(logger, "spyglass." + spec.slug);
      mlog.debug("running " + spec.display_name);
      const fs::path scratch = scratch_root / spec.slug;
      ModuleSink sink(spec, inputs,
                      summary.output.empty() ? fs::path() : summary.output / module_data_file(spec));
      if (!summary.output.empty()) sink.spill_timeline_to(scratch_root / (spec.slug + ".timeline"));
      ModuleContext context(options.evidence, scratch, mlog, options);
      const Status status = run_guarded(module, context, sink);
      outcomes[i] = sink.finish();
      outcomes[i].status = status;
      std::error_code rm;
      fs::remove_all(scratch, rm);
      switch (status.code) {
        case ModuleStatus::kOk:
          mlog.info(fmt::format("{} record(s), {} alert(s)", outcomes[i].records,
                                outcomes[i].alerts.size()));
          break;
        case ModuleStatus::kNotPresent:
          mlog.info("not present: " + status.message);
          break;
        case ModuleStatus::kFailed:
          mlog.error("failed: " + status.message);
          break;
      }
      logger.progress(fmt::format("{}/{} modules done", ++done, modules.size()));
    }
  };
  unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, modules.size()));
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::jthread> threads;
    threads.reserve(jobs);
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  }
  logger.end_progress();

  // Assembly in registry order: nothing below depends on thread timing.
  std::vector<const report::Alert*> all_alerts;
  std::vector<std::size_t> alert_module;  // registry index of each of all_alerts
  std::vector<report::UrlRow> urls;
  for (std::size_t i = 0; i < modules.size(); ++i) {
    const ModuleSpec& spec = modules[i]->spec();
    ModuleOutcome& o = outcomes[i];
    ModuleReport rep;
    rep.slug = spec.slug;
    rep.family = std::string(family_name(spec.family));
    rep.status = o.status.code;
    rep.error = o.status.code == ModuleStatus::kOk ? std::string() : o.status.message;
    rep.records = o.records;
    rep.alerts = o.alerts.size();
    summary.modules.push_back(std::move(rep));
    for (const std::string& e : o.output_errors) summary.output_errors.push_back(e);
    for (const report::Alert& a : o.alerts) {
      all_alerts.push_back(&a);
      alert_module.push_back(i);
      summary.count_alert(a.level);
      if (a.is_indicator_match()) ++summary.indicator_matches;
    }
    for (report::UrlRow& u : o.urls) urls.push_back(std::move(u));
    if (!summary.output.empty() && !o.alerts.empty()) {
      std::vector<const report::Alert*> mine;
      for (const report::Alert& a : o.alerts) mine.push_back(&a);
      if (auto w = report::write_json_file(summary.output / (spec.slug + "_detected.json"),
                                           report::alerts_json(mine));
          !w) {
        summary.output_errors.push_back(w.error().message);
      }
    }
  }

  if (!summary.output.empty()) {
    const fs::path& out = summary.output;
    const auto keep = [&](Result<void> r) {
      if (!r) {
        log.error(r.error().message);
        summary.output_errors.push_back(r.error().message);
      }
    };
    keep(report::write_text_file(out / "alerts_timeline.csv",
                                 report::alerts_timeline_csv(all_alerts)));
    if (!all_alerts.empty()) {
      keep(report::write_json_file(out / "alerts.json", report::alerts_json(all_alerts)));
    }
    if (!urls.empty()) keep(report::write_json_file(out / "urls.json", report::urls_json(urls)));
    keep(report::write_json_file(out / "info.json", info_json(options, inputs, hashes, summary)));
    keep(write_timelines(modules, outcomes, all_alerts, alert_module, out));
    // Last: the report reads the files written above.
    html::RenderOptions render;
    if (auto lang = html::parse_lang(options.report_lang)) render.lang = *lang;
    keep(html::write_report(out, render));
  }
  for (ModuleOutcome& o : outcomes) o.timeline_spill.reset();  // closed before their folder goes
  fs::remove_all(scratch_root, ec);

  for (const report::Alert* a : all_alerts) {
    log.warning(fmt::format("{} [{}] {}", report::level_name(a->level), a->module, a->message));
  }
  log.info(fmt::format("verdict: {} ({} indicator match(es), {} module(s) failed)",
                       summary.verdict(), summary.indicator_matches,
                       summary.slugs_with(ModuleStatus::kFailed).size()));
  return summary;
}

}  // namespace spyglass::scan
