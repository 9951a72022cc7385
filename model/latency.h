#pragma once
// A latency distribution as a scenario writes it:
//   fixed(2ms)              always 2 ms
//   uniform(0ms, 5000ms)    uniform in [0, 5000 ms)
//   lognormal(800ms, 1.2)   log-normal with median 800 ms and sigma 1.2 (the tail), capped at 1 d
#include <string>
#include <string_view>

#include "sim/random.h"
#include "sim/time.h"

namespace fraudsim {

class LatencyModel {
 public:
  static LatencyModel fixed(sim::Time value);
  static LatencyModel uniform(sim::Time low, sim::Time high);
  static LatencyModel log_normal(sim::Time median, double sigma);
  // Throws sim::ValueError saying what was expected.
  static LatencyModel parse(std::string_view text);

  sim::Time draw(sim::Rng& rng) const;
  std::string to_string() const;

 private:
  enum class Shape { kFixed, kUniform, kLogNormal };
  Shape shape_ = Shape::kFixed;
  sim::Time a_ = 0;  // fixed value, uniform low, or log-normal median
  sim::Time b_ = 0;  // uniform high
  double sigma_ = 0;
};

inline constexpr sim::Time kLatencyCap = sim::kDay;

}  // namespace fraudsim
