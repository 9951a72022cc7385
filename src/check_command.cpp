// fraudsim check: reruns scenarios at their pinned seeds and compares each with its golden result;
// --update rewrites the goldens.
#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "model/served_transport.h"
#include "src/cli.h"
#include "src/divergence_search.h"
#include "src/golden.h"
#include "src/interrupt.h"
#include "src/parallel_runs.h"
#include "src/result_writer.h"

namespace fraudsim {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

enum class Verdict { kSame, kChanged, kMissing, kError };

struct Checked {
  std::string name;  // the scenario's name, or its path when it did not load
  Verdict verdict = Verdict::kError;
  std::string detail;
  std::string summary;  // the new summary.json, when the scenario ran
  std::string explanation;  // where a changed run split from the golden one, when that is known
  fs::path golden;
};

std::vector<std::string> all_scenarios() {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("scenarios", ec)) {
    if (entry.path().extension() == ".ini") paths.push_back(entry.path().string());
  }
  if (ec || paths.empty()) {
    throw sim::InputError("scenarios/: no scenario files here; run fraudsim check from the project's "
                          "top directory or name the scenarios");
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Runs a scenario as it is, at its pinned seed. Its endpoints, if any, are fraudsim's own
// functions served in process: the golden pins fraudsim's behaviour, not a network's. A scenario
// that starts its model's server (model.server) runs against it, one such scenario at a time, as
// they may listen on the same port.
std::string run_summary(const Scenario& scenario) {
  static std::mutex one_server_at_a_time;
  std::unique_lock<std::mutex> server_lock(one_server_at_a_time, std::defer_lock);
  if (scenario.model_server.enabled()) server_lock.lock();
  RunHooks hooks;
  hooks.on_progress = [](sim::Time, std::uint64_t) { throw_if_interrupted(); };
  hooks.while_waiting = throw_if_interrupted;
  return summary_json(scenario, run_with_served_endpoints(scenario, hooks));
}

// Where the run split from the golden one, when the golden's settings can rebuild that run: a
// change of settings (not of code) ran the same code over other settings, so rerunning both and
// comparing their events finds the first that differs.
std::string explain_change(const std::string& path, const Scenario& now, const Json& golden) {
  if (!golden.contains("settings") || !golden["settings"].is_object()) return {};
  std::vector<std::string> overrides;
  std::map<std::string, std::string> then;
  for (const auto& [key, value] : golden["settings"].items()) {
    if (!value.is_string()) return {};
    overrides.push_back(key + "=" + value.get<std::string>());
    then[key] = value.get<std::string>();
  }
  if (then == now.effective) {
    return "  the settings are those of the golden result, so a change of fraudsim's code moved it;\n"
           "  to see where, trace the scenario with both builds (fraudsim run SCENARIO --trace FILE)\n"
           "  and compare the traces (fraudsim diff BEFORE AFTER)\n";
  }
  Scenario before;
  try {
    before = load_scenario(path, overrides);
  } catch (const sim::InputError& e) {
    return fmt::format("  the golden result's settings no longer load ({}), so its run cannot be rebuilt\n", e.what());
  }
  const auto divergence = first_divergence_between(before, now);
  if (!divergence) return "  the golden settings and these run the same events; only the summary's settings differ\n";
  std::string text = describe_divergence(*divergence, "with the golden result's settings", "with the scenario's now");
  std::string indented;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    indented += "  " + text.substr(start, end - start + 1);
    start = end + 1;
  }
  return indented;
}

Checked check_one(const std::string& path, const fs::path& golden_dir, bool explain) {
  Checked c;
  c.name = path;
  try {
    const Scenario scenario = load_scenario(path, {});
    c.name = scenario.name;
    c.golden = golden_dir / (scenario.name + ".json");
    c.summary = run_summary(scenario);
    const std::optional<Json> golden = read_golden(c.golden);
    if (!golden) {
      c.verdict = Verdict::kMissing;
      c.detail = fmt::format("no golden result {} (fraudsim check --update writes it)", c.golden.string());
      return c;
    }
    const auto changes = compare_summaries(*golden, Json::parse(c.summary));
    c.verdict = changes.empty() ? Verdict::kSame : Verdict::kChanged;
    c.detail = changes.empty() ? Json::parse(c.summary)["fingerprint"].get<std::string>()
                               : describe_changes(changes);
    if (!changes.empty() && explain) c.explanation = explain_change(path, scenario, *golden);
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& e) {
    c.verdict = Verdict::kError;
    c.detail = e.what();
  }
  return c;
}

const char* label(Verdict v) {
  switch (v) {
    case Verdict::kSame: return "ok";
    case Verdict::kChanged: return "CHANGED";
    case Verdict::kMissing: return "MISSING";
    case Verdict::kError: return "ERROR";
  }
  return "";
}

}  // namespace

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const std::vector<std::string> paths = options.scenarios.empty() ? all_scenarios() : options.scenarios;
    if (options.threads < 1) throw sim::InputError(fmt::format("--threads {}: give at least 1", options.threads));
    std::vector<Checked> results(paths.size());
    InterruptGuard interrupt_guard;
    run_in_parallel(paths.size(), static_cast<unsigned>(options.threads),
                    [&](std::size_t i) { results[i] = check_one(paths[i], options.golden, !options.update); }, {});

    std::size_t width = 0;
    for (const Checked& c : results) width = std::max(width, c.name.size());
    std::size_t differing = 0, unchecked = 0;
    for (const Checked& c : results) {
      if (options.update && !c.summary.empty()) {  // it ran; a broken golden is replaced too
        write_golden(c.golden, c.summary);
        out << fmt::format("{:<10}{:<{}}  {}\n", c.verdict == Verdict::kSame ? "unchanged" : "updated",
                           c.name, width,
                           c.verdict == Verdict::kChanged || c.verdict == Verdict::kSame
                               ? c.detail
                               : "written " + c.golden.string());
        continue;
      }
      differing += c.verdict == Verdict::kChanged || c.verdict == Verdict::kMissing ? 1 : 0;
      unchecked += c.verdict == Verdict::kError ? 1 : 0;
      out << fmt::format("{:<10}{:<{}}  {}\n", label(c.verdict), c.name, width, c.detail) << c.explanation;
    }
    if (options.update) {
      const bool errors = std::any_of(results.begin(), results.end(),
                                      [](const Checked& c) { return c.summary.empty(); });
      return errors ? kExitCheckFailed : kExitOk;
    }
    if (unchecked > 0) {
      err << fmt::format("fraudsim: {} of {} scenarios could not be checked (ERROR above)\n", unchecked,
                         results.size());
    }
    if (differing > 0) {
      err << fmt::format("fraudsim: {} of {} scenarios do not match their golden results; if the "
                         "change was meant, review the lines above and run fraudsim check --update\n",
                         differing, results.size());
    }
    if (unchecked > 0 || differing > 0) return kExitCheckFailed;
    return kExitOk;
  } catch (...) {
    return report_escaped_exception(err);
  }
}

}  // namespace fraudsim
