// fraudsim compare: every combination of the varied settings, each for every seed, on a pool of
// threads; statistics per variant; the table, compare.json, compare.csv and compare.html.
#include <algorithm>
#include <chrono>
#include <ostream>

#include <fmt/format.h>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "src/cli.h"
#include "src/compare_plan.h"
#include "src/comparison.h"
#include "src/comparison_chart.h"
#include "src/comparison_writer.h"
#include "src/interrupt.h"
#include "src/output_dir.h"
#include "src/parallel_runs.h"
#include "src/progress.h"
#include "src/readable.h"

namespace fraudsim {
namespace {

std::vector<Variant> plan_variants(const CompareOptions& options) {
  std::vector<VariedSetting> varied;
  for (const std::string& text : options.vary) varied.push_back(parse_varied_setting(text));
  for (const VariedSetting& v : varied) {
    for (const std::string& text : options.overrides) {
      if (sim::parse_setting_override(text).key == v.key) {
        throw sim::InputError(fmt::format("{}: {} is also given by --set {}; vary it or set it, not both",
                                          v.origin, v.key, text));
      }
    }
  }
  return make_variants(varied);
}

Scenario load_run(const CompareOptions& options, const Variant& variant, std::uint64_t seed) {
  return load_scenario(options.scenario, options.overrides, std::to_string(seed), std::nullopt,
                       variant.settings);
}

// Like `fraudsim run`, a job failure is a result (its figures are in the files) and exit code 3.
int report_failed_runs(const Comparison& comparison, std::size_t total, std::ostream& err) {
  std::vector<std::string> failed;
  for (const VariantResult& v : comparison.variants) {
    for (const RunFigures& run : v.runs) {
      if (run.job_failure) failed.push_back(fmt::format("{} seed {} at {}", v.variant.name, run.seed, *run.job_failure));
    }
  }
  if (failed.empty()) return kExitOk;
  err << fmt::format("fraudsim: the job failed in {} of {} runs:\n", failed.size(), total);
  constexpr std::size_t kShown = 5;
  for (std::size_t i = 0; i < std::min(failed.size(), kShown); ++i) err << "  " << failed[i] << "\n";
  if (failed.size() > kShown) err << fmt::format("  and {} more (compare.json has them all)\n", failed.size() - kShown);
  return kExitJobFailed;
}

}  // namespace

int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const std::vector<std::uint64_t> seeds = parse_seed_list(options.seeds);
    const std::vector<Variant> variants = plan_variants(options);
    if (options.threads < 1) {
      throw sim::InputError(fmt::format("--threads {}: give at least 1", options.threads));
    }
    // Every variant is checked before anything runs, so bad input costs no run time.
    std::vector<Scenario> first_of_variant;
    for (const Variant& variant : variants) first_of_variant.push_back(load_run(options, variant, seeds.front()));
    const std::string name = first_of_variant.front().name;
    StagedDirectory directory(options.out.empty() ? fmt::format("results/runs/{}-compare", name)
                                                  : options.out);

    const std::size_t total = variants.size() * seeds.size();
    unsigned threads =
        static_cast<unsigned>(std::min<std::size_t>(static_cast<std::size_t>(options.threads), total));
    // A model's server that fraudsim runs listens on one port: its runs cannot overlap.
    const bool runs_a_server = std::any_of(first_of_variant.begin(), first_of_variant.end(),
                                           [](const Scenario& s) { return s.model_server.enabled(); });
    if (runs_a_server && threads > 1) {
      if (!options.quiet) err << "fraudsim: model.server runs one server on one port, so the runs go one at a time\n";
      threads = 1;
    }
    std::vector<std::vector<RunFigures>> figures(variants.size(), std::vector<RunFigures>(seeds.size()));
    SweepProgress progress(err,
                           options.quiet         ? SweepProgress::Mode::kOff
                           : options.interactive ? SweepProgress::Mode::kTerminal
                                                 : SweepProgress::Mode::kLog,
                           total);
    InterruptGuard interrupt_guard;
    const auto start = std::chrono::steady_clock::now();
    // Seed-major order, so every variant of a seed runs at about the same time and the estimate of
    // the time left holds from the start.
    run_in_parallel(
        total, threads,
        [&](std::size_t i) {
          const std::size_t s = i / variants.size();
          const std::size_t v = i % variants.size();
          const Scenario scenario = s == 0 ? first_of_variant[v] : load_run(options, variants[v], seeds[s]);
          RunHooks hooks;
          hooks.on_progress = [](sim::Time, std::uint64_t) { throw_if_interrupted(); };
          hooks.while_waiting = throw_if_interrupted;
          figures[v][s] = figures_of(scenario, run_pipeline(scenario, hooks));
        },
        [&](std::size_t done) { progress.update(done); });
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.finish();

    const Comparison comparison = summarize(name, options.scenario, options.overrides, seeds, variants,
                                            std::move(figures));
    write_result_file(directory.file("compare.json"), comparison_json(comparison));
    write_result_file(directory.file("compare.csv"), comparison_csv(comparison));
    write_result_file(directory.file("compare.html"), comparison_html(comparison));
    directory.commit();
    if (!options.quiet) {
      print_comparison(out, comparison);
      out << fmt::format("{} runs on {} thread{} in {} · results {}\n", total, threads,
                         threads == 1 ? "" : "s", readable_wall_seconds(wall),
                         directory.target().string());
    }
    return report_failed_runs(comparison, total, err);
  } catch (...) {
    return report_escaped_exception(err);
  }
}

}  // namespace fraudsim
