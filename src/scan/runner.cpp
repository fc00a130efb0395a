#include "scan/runner.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "core/html/render.hpp"
#include "core/manifest/digest_cache.hpp"
#include "core/report/outputs.hpp"
#include "formats/json/json_writer.hpp"
#include "support/file_hash.hpp"
#include "scan/timeline_merge.hpp"
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

// glibc keeps what a finished module freed in its thread's arena; handing it back keeps the
// peak of a large scan to what is live, not what was ever used.
constexpr std::size_t kTrimAfterRecords = 10'000;
void return_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
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
  // Costly modules first (ModuleSpec::expected_cost), then registry order.
  std::vector<std::size_t> order(modules.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return modules[a]->spec().expected_cost > modules[b]->spec().expected_cost;
  });
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  const auto worker = [&] {
    for (std::size_t k = next++; k < modules.size(); k = next++) {
      const std::size_t i = order[k];
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
      // Only after a module that produced much: trimming walks every thread's heap, and
      // the other modules are running meanwhile.
      if (outcomes[i].records >= kTrimAfterRecords) return_free_memory();
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
  if (options.source) options.source->modules_done();
  return_free_memory();
  if (options.digest_cache != nullptr && !summary.output.empty()) {
    // Final from here on: hashed on the other core while the timelines are merged.
    std::vector<fs::path> final_files;
    for (std::size_t i = 0; i < modules.size(); ++i) {
      if (outcomes[i].records != 0) {
        final_files.push_back(summary.output / module_data_file(modules[i]->spec()));
      }
    }
    if (options.source) {
      for (const std::string& rel : options.source->files_read()) {
        final_files.push_back(options.evidence / rel);
      }
    }
    options.digest_cache->prefetch(std::move(final_files));
  }

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
    if (!urls.empty()) keep(report::write_urls_json(out / "urls.json", urls));
    keep(report::write_json_file(out / "info.json", info_json(options, inputs, hashes, summary)));
    // The report's timeline digest is gathered while timeline.jsonl is written, instead of
    // reading the file back.
    std::vector<UnixMicros> alert_times;
    for (const report::Alert* a : all_alerts) {
      if (a->event_time) alert_times.push_back(*a->event_time);
    }
    html::TimelineCollector collector(std::move(alert_times));
    TimelineMergeInput merge;
    for (const ModuleOutcome& o : outcomes) merge.modules.push_back(o.timeline.get());
    merge.alerts = all_alerts;
    merge.alert_module = alert_module;
    auto merged = merge_timelines(
        merge, out, [&](std::size_t m, UnixMicros time, std::string_view line) {
          if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
          return collector.add_line(time, modules[m]->spec().slug, line);
        });
    keep(merged ? Result<void>() : tl::unexpected(merged.error()));
    // Last: the report reads the files written above.
    html::RenderOptions render;
    if (auto lang = html::parse_lang(options.report_lang)) render.lang = *lang;
    keep(html::write_report(out, render, merged ? &collector : nullptr));
  }
  for (ModuleOutcome& o : outcomes) o.timeline.reset();  // closed before their folder goes
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
