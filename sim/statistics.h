#pragma once
// Means with Student-t confidence intervals, for results over independent replications (seeds).
#include <optional>
#include <vector>

namespace sim {

struct Estimate {
  std::size_t n = 0;  // samples
  double mean = 0;
  // The interval's half-width; none below two samples, where there is no spread to go by.
  std::optional<double> half_width;
  double low() const { return mean - half_width.value_or(0); }
  double high() const { return mean + half_width.value_or(0); }
  // The interval lies wholly on one side of zero (never with one sample).
  bool excludes_zero() const { return half_width && (low() > 0 || high() < 0); }
};

// The mean of `samples` and the two-sided interval at `confidence` (in (0, 1)) for the mean:
// mean ± t(1 - (1 - confidence) / 2, n - 1) * s / sqrt(n), s the sample standard deviation.
// An empty sample gives n = 0 and mean 0.
Estimate estimate_mean(const std::vector<double>& samples, double confidence = 0.95);

// The two-sided Student-t quantile for `confidence` with `degrees_of_freedom` (> 0).
double student_t_critical(double confidence, double degrees_of_freedom);

}  // namespace sim
