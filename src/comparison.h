#pragma once
// The figures `fraudsim compare` takes from each run, and their statistics per variant: the mean
// over seeds with its confidence interval, and the difference from the first variant, paired by
// seed (every variant of a seed sees the same traffic and draws, so the pairs differ only by the
// varied settings).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "sim/statistics.h"
#include "src/compare_plan.h"

namespace fraudsim {

enum class MetricKind { kCount, kPerDay, kRatio, kLatency };

struct MetricDefinition {
  const char* key;    // in compare.json and compare.csv
  const char* label;  // in the table
  MetricKind kind;
};

inline constexpr std::array<MetricDefinition, 10> kCompareMetrics{{
    {"transactions", "transactions", MetricKind::kCount},
    {"alerts", "alerts", MetricKind::kCount},
    {"alerts_per_day", "alerts per day", MetricKind::kPerDay},
    {"true_positives", "true positives", MetricKind::kCount},
    {"false_positives", "false positives", MetricKind::kCount},
    {"precision", "precision", MetricKind::kRatio},
    {"recall", "recall", MetricKind::kRatio},
    {"confirmations", "confirmations", MetricKind::kCount},
    {"decision_latency_p50_us", "decision latency p50", MetricKind::kLatency},
    {"decision_latency_p99_us", "decision latency p99", MetricKind::kLatency},
}};
inline constexpr std::size_t kMetricCount = kCompareMetrics.size();

// One run's figures; a value is absent where the run has none (precision without ground truth,
// latency with nothing decided).
struct RunFigures {
  std::uint64_t seed = 0;
  std::string fingerprint;
  std::optional<std::string> job_failure;  // its time and cause
  std::array<std::optional<double>, kMetricCount> values;
  sim::Time series_interval = 0;
  std::vector<double> alerts_per_interval;  // one per series interval up to the horizon
};

RunFigures figures_of(const Scenario& scenario, const RunReport& report);

struct VariantResult {
  Variant variant;
  std::vector<RunFigures> runs;  // one per seed, in seed order
  std::array<sim::Estimate, kMetricCount> metrics;
  // Against the first variant, paired by seed; none for the first variant itself.
  std::optional<std::array<sim::Estimate, kMetricCount>> differences;
  // Alerts per day in each series interval: the mean over seeds with its interval, and the paired
  // difference from the first variant (empty for the first variant itself).
  std::vector<sim::Estimate> daily_alerts;
  std::vector<sim::Estimate> daily_alert_differences;
  std::size_t failed_runs = 0;
};

struct Comparison {
  std::string scenario;  // name
  std::string scenario_path;
  std::vector<std::string> overrides;  // --set, applied to every variant
  std::vector<std::uint64_t> seeds;
  double confidence = 0.95;
  std::vector<VariantResult> variants;
};

// `runs[v][s]`: variant v at seeds[s].
Comparison summarize(std::string scenario, std::string scenario_path,
                     std::vector<std::string> overrides, std::vector<std::uint64_t> seeds,
                     const std::vector<Variant>& variants, std::vector<std::vector<RunFigures>> runs);

}  // namespace fraudsim
