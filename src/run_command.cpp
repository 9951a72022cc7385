// fraudsim run: load a scenario, run it, write the results atomically, print the summary.
#include <chrono>
#include <fstream>
#include <memory>
#include <ostream>

#include <fmt/format.h>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "sim/settings.h"
#include "src/cli.h"
#include "src/expectations_check.h"
#include "src/interrupt.h"
#include "src/output_dir.h"
#include "src/progress.h"
#include "src/result_writer.h"

namespace fraudsim {
namespace {

// The trace's filter from the --trace-* options; they need --trace.
sim::TraceFilter trace_filter(const RunOptions& o) {
  sim::TraceFilter filter;
  const bool any = !o.trace_address.empty() || !o.trace_type.empty() || !o.trace_from.empty() ||
                   !o.trace_until.empty();
  if (any && o.trace.empty()) throw sim::InputError("--trace-address, --trace-type, --trace-from and --trace-until filter a trace: add --trace FILE");
  filter.address = o.trace_address;
  filter.type = o.trace_type;
  const auto time = [](const char* option, const std::string& text) {
    try {
      return sim::parse_duration_value(text);
    } catch (const sim::ValueError& e) {
      throw sim::InputError(fmt::format("{} '{}': {}", option, text, e.what()));
    }
  };
  if (!o.trace_from.empty()) filter.from = time("--trace-from", o.trace_from);
  if (!o.trace_until.empty()) filter.until = time("--trace-until", o.trace_until);
  if (filter.from > filter.until) {
    throw sim::InputError(fmt::format("--trace-from {} is after --trace-until {}", o.trace_from, o.trace_until));
  }
  return filter;
}

std::ofstream open_for_writing(const std::filesystem::path& path) {
  std::ofstream file(path, std::ios::binary);
  if (!file) throw sim::InputError(fmt::format("{}: cannot create the file", path.string()));
  return file;
}

}  // namespace

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const Scenario scenario = load_scenario(options.scenario, options.overrides, options.seed, options.module);
    check_expectation_keys(scenario);
    const sim::TraceFilter filter = trace_filter(options);
    const std::string target = options.out.empty()
                                   ? fmt::format("results/runs/{}-seed{}", scenario.name, scenario.seed)
                                   : options.out;
    StagedDirectory directory(target);
    std::unique_ptr<TraceFile> trace_file;
    std::unique_ptr<sim::TraceWriter> trace;
    if (!options.trace.empty()) {
      trace_file = std::make_unique<TraceFile>(options.trace, options.scenario, directory.target());
      trace = std::make_unique<sim::TraceWriter>(trace_file->stream(), filter);
    }
    std::ofstream alerts = open_for_writing(directory.file("alerts.csv"));
    write_alerts_header(alerts);
    std::ofstream decisions;
    if (options.decisions) {
      decisions = open_for_writing(directory.file("decisions.csv"));
      write_decisions_header(decisions);
    }

    Progress progress(err, options.interactive && !options.quiet, scenario.duration);
    RunHooks hooks;
    hooks.trace = trace.get();
    hooks.on_alert = [&](sim::Time now, const workshop::Transaction& t) { write_alert(alerts, now, t); };
    hooks.on_progress = [&](sim::Time now, std::uint64_t events) {
      throw_if_interrupted();
      progress.update(now, events);
    };
    hooks.while_waiting = throw_if_interrupted;
    if (scenario.model_server.enabled()) {
      hooks.model_server_log = directory.file("model-server.log").string();
    }
    if (options.decisions) hooks.on_decision = [&](const Decision& d) { write_decision(decisions, d); };

    InterruptGuard interrupt_guard;
    const auto start = std::chrono::steady_clock::now();
    const RunReport report = run_pipeline(scenario, hooks);
    PerfFigures perf;
    perf.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    perf.peak_rss_bytes = peak_rss_bytes();
    progress.finish();

    if (!alerts.flush()) throw std::runtime_error("cannot write alerts.csv");
    alerts.close();
    if (options.decisions) {
      if (!decisions.flush()) throw std::runtime_error("cannot write decisions.csv");
      decisions.close();
    }
    write_result_file(directory.file("latency_histogram.csv"),
               latency_histogram_csv(report.metrics.decision_latency()));
    const std::string summary = summary_json(scenario, report);
    write_result_file(directory.file("summary.json"), summary);
    write_result_file(directory.file("timeseries.csv"), timeseries_csv(report));
    write_result_file(directory.file("perf.json"), perf_json(report, perf));
    if (trace_file) trace_file->commit();
    directory.commit();
    if (!options.quiet) print_summary(out, scenario, report, perf, directory.target().string());
    if (report.failure) {
      err << "fraudsim: the job failed at " << sim::format_instant(report.failure->time) << ": "
          << report.failure->cause << "\n";
    }
    const std::vector<std::string> broken = broken_expectations(scenario, summary);
    for (const std::string& line : broken) err << "fraudsim: " << line << "\n";
    if (!broken.empty()) return kExitExpectationBroken;
    return report.failure ? kExitJobFailed : kExitOk;
  } catch (...) {
    return report_escaped_exception(err);
  }
}

int keys_command(std::ostream& out) {
  std::string section;
  for (const auto& key : scenario_schema().keys()) {
    const std::string this_section = key.name.substr(0, key.name.find('.'));
    if (this_section != section) {
      out << (section.empty() ? "" : "\n") << "[" << this_section << "]\n";
      section = this_section;
    }
    out << fmt::format("{:<28} = {:<10} # {}\n", key.name.substr(key.name.find('.') + 1),
                       key.default_value.empty() ? "(none)" : key.default_value, key.help);
  }
  out << "\n[endpoints]\n"
         "# namespace/type or namespace/* = http://host:port/path, or embedded; e.g.\n"
         "# com.ververica.ds/model = http://127.0.0.1:8000/statefun (README: Remote functions)\n";
  return kExitOk;
}

}  // namespace fraudsim
