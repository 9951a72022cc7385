#include "sim/statistics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

namespace sim {

double student_t_critical(double confidence, double degrees_of_freedom) {
  if (!(confidence > 0 && confidence < 1) || !(degrees_of_freedom > 0)) {
    throw std::invalid_argument("student_t_critical: confidence must be in (0, 1), degrees of freedom > 0");
  }
  const boost::math::students_t distribution(degrees_of_freedom);
  return boost::math::quantile(distribution, 1 - (1 - confidence) / 2);
}

Estimate estimate_mean(const std::vector<double>& samples, double confidence) {
  Estimate e;
  e.n = samples.size();
  if (e.n == 0) return e;
  // Equal samples have exactly their value as mean and no spread, not a rounding residue.
  if (std::adjacent_find(samples.begin(), samples.end(), std::not_equal_to<>()) == samples.end()) {
    e.mean = samples.front();
    if (e.n >= 2) e.half_width = 0;
    return e;
  }
  // Two passes: the mean first, then squared deviations from it.
  double sum = 0;
  for (double x : samples) sum += x;
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double squares = 0;
  for (double x : samples) squares += (x - e.mean) * (x - e.mean);
  const double n = static_cast<double>(e.n);
  const double standard_error = std::sqrt(squares / (n - 1)) / std::sqrt(n);
  e.half_width = student_t_critical(confidence, n - 1) * standard_error;
  return e;
}

}  // namespace sim
