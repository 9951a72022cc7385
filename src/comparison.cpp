#include "src/comparison.h"

#include <fmt/format.h>

namespace fraudsim {
namespace {

std::optional<double> count(std::uint64_t n) { return static_cast<double>(n); }

std::vector<double> present(const std::vector<RunFigures>& runs, std::size_t metric) {
  std::vector<double> values;
  for (const RunFigures& run : runs) {
    if (run.values[metric]) values.push_back(*run.values[metric]);
  }
  return values;
}

// Differences of seeds where both runs have the value.
std::vector<double> paired_differences(const std::vector<RunFigures>& runs,
                                       const std::vector<RunFigures>& baseline, std::size_t metric) {
  std::vector<double> differences;
  for (std::size_t s = 0; s < runs.size(); ++s) {
    const auto& value = runs[s].values[metric];
    const auto& base = baseline[s].values[metric];
    if (value && base) differences.push_back(*value - *base);
  }
  return differences;
}

// Per series interval: the estimate of alerts per day, or (with a baseline) of the difference from
// the baseline's run of the same seed.
std::vector<sim::Estimate> daily_alerts(const std::vector<RunFigures>& runs,
                                        const std::vector<RunFigures>* baseline, double confidence) {
  std::size_t intervals = 0;
  for (const RunFigures& run : runs) intervals = std::max(intervals, run.alerts_per_interval.size());
  std::vector<sim::Estimate> out;
  for (std::size_t i = 0; i < intervals; ++i) {
    std::vector<double> samples;
    for (std::size_t s = 0; s < runs.size(); ++s) {
      const std::vector<double>& values = runs[s].alerts_per_interval;
      if (i >= values.size()) continue;
      if (!baseline) {
        samples.push_back(values[i]);
      } else if (i < (*baseline)[s].alerts_per_interval.size()) {
        samples.push_back(values[i] - (*baseline)[s].alerts_per_interval[i]);
      }
    }
    out.push_back(sim::estimate_mean(samples, confidence));
  }
  return out;
}

}  // namespace

RunFigures figures_of(const Scenario& scenario, const RunReport& report) {
  const Metrics& m = report.metrics;
  const Counts& c = m.totals();
  const sim::Histogram& latency = m.decision_latency();
  RunFigures f;
  f.seed = scenario.seed;
  f.fingerprint = report.fingerprint;
  if (report.failure) {
    f.job_failure = fmt::format("{}: {}", sim::format_instant(report.failure->time), report.failure->cause);
  }
  const double days = static_cast<double>(report.end) / static_cast<double>(sim::kDay);
  const auto truth = [&](std::uint64_t n) { return m.has_truth() ? count(n) : std::nullopt; };
  const auto decided = [&](double q) {
    return latency.count() > 0 ? count(static_cast<std::uint64_t>(latency.quantile(q))) : std::nullopt;
  };
  f.values = {count(c.transactions),
              count(c.alerts),
              days > 0 ? std::optional<double>(static_cast<double>(c.alerts) / days) : std::nullopt,
              truth(c.true_positives),
              truth(c.false_positives),
              m.precision(),
              m.recall(),
              count(c.confirmations),
              decided(0.5),
              decided(0.99)};

  f.series_interval = m.series_interval();
  const double interval_days = static_cast<double>(f.series_interval) / static_cast<double>(sim::kDay);
  const std::size_t intervals =
      static_cast<std::size_t>((report.horizon + f.series_interval - 1) / f.series_interval);
  f.alerts_per_interval.assign(intervals, 0.0);
  for (std::size_t i = 0; i < std::min(intervals, m.series().size()); ++i) {
    f.alerts_per_interval[i] = static_cast<double>(m.series()[i].counts.alerts) / interval_days;
  }
  return f;
}

Comparison summarize(std::string scenario, std::string scenario_path,
                     std::vector<std::string> overrides, std::vector<std::uint64_t> seeds,
                     const std::vector<Variant>& variants, std::vector<std::vector<RunFigures>> runs) {
  Comparison c;
  c.scenario = std::move(scenario);
  c.scenario_path = std::move(scenario_path);
  c.overrides = std::move(overrides);
  c.seeds = std::move(seeds);
  for (std::size_t v = 0; v < variants.size(); ++v) {
    VariantResult result;
    result.variant = variants[v];
    result.runs = std::move(runs[v]);
    for (std::size_t k = 0; k < kMetricCount; ++k) {
      result.metrics[k] = sim::estimate_mean(present(result.runs, k), c.confidence);
    }
    if (v > 0) {
      std::array<sim::Estimate, kMetricCount> differences;
      for (std::size_t k = 0; k < kMetricCount; ++k) {
        differences[k] =
            sim::estimate_mean(paired_differences(result.runs, c.variants[0].runs, k), c.confidence);
      }
      result.differences = differences;
      result.daily_alert_differences = daily_alerts(result.runs, &c.variants[0].runs, c.confidence);
    }
    result.daily_alerts = daily_alerts(result.runs, nullptr, c.confidence);
    for (const RunFigures& run : result.runs) result.failed_runs += run.job_failure ? 1 : 0;
    c.variants.push_back(std::move(result));
  }
  return c;
}

}  // namespace fraudsim
