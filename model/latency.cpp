#include "model/latency.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "sim/settings.h"

namespace fraudsim {
namespace {

constexpr const char* kExpected =
    "expected fixed(D), uniform(LOW, HIGH) or lognormal(MEDIAN, SIGMA), e.g. uniform(0ms, 5000ms)";

}  // namespace

LatencyModel LatencyModel::fixed(sim::Time value) {
  LatencyModel m;
  m.shape_ = Shape::kFixed;
  m.a_ = value;
  return m;
}

LatencyModel LatencyModel::uniform(sim::Time low, sim::Time high) {
  LatencyModel m;
  m.shape_ = Shape::kUniform;
  m.a_ = low;
  m.b_ = high;
  return m;
}

LatencyModel LatencyModel::log_normal(sim::Time median, double sigma) {
  LatencyModel m;
  m.shape_ = Shape::kLogNormal;
  m.a_ = median;
  m.sigma_ = sigma;
  return m;
}

LatencyModel LatencyModel::parse(std::string_view text) {
  const std::string_view t = sim::trim(text);
  const auto open = t.find('(');
  if (open == std::string_view::npos || t.back() != ')') throw sim::ValueError(kExpected);
  const std::string_view name = sim::trim(t.substr(0, open));
  const std::string_view inside = t.substr(open + 1, t.size() - open - 2);
  std::vector<std::string_view> args;
  for (std::size_t start = 0;;) {
    const auto comma = inside.find(',', start);
    args.push_back(sim::trim(inside.substr(start, comma == std::string_view::npos ? inside.npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  auto duration = [](std::string_view a) {
    const sim::Time d = sim::parse_duration_value(a);
    if (d > kLatencyCap) throw sim::ValueError("a latency above 1d is not a latency");
    return d;
  };
  if (name == "fixed" && args.size() == 1) return fixed(duration(args[0]));
  if (name == "uniform" && args.size() == 2) {
    const sim::Time low = duration(args[0]);
    const sim::Time high = duration(args[1]);
    if (high <= low) throw sim::ValueError("uniform(LOW, HIGH) needs LOW < HIGH");
    return uniform(low, high);
  }
  if (name == "lognormal" && args.size() == 2) {
    const sim::Time median = duration(args[0]);
    if (median <= 0) throw sim::ValueError("a log-normal median must be positive");
    return log_normal(median, sim::parse_real(args[1], 0, 4));
  }
  throw sim::ValueError(kExpected);
}

sim::Time LatencyModel::draw(sim::Rng& rng) const {
  switch (shape_) {
    case Shape::kFixed:
      return a_;
    case Shape::kUniform:
      return sim::uniform_int(rng, a_, b_);
    case Shape::kLogNormal: {
      const double value = sim::log_normal(rng, static_cast<double>(a_), sigma_);
      return static_cast<sim::Time>(std::min(std::llround(value), static_cast<long long>(kLatencyCap)));
    }
  }
  return a_;
}

std::string LatencyModel::to_string() const {
  switch (shape_) {
    case Shape::kFixed: return fmt::format("fixed({})", sim::format_duration(a_));
    case Shape::kUniform:
      return fmt::format("uniform({}, {})", sim::format_duration(a_), sim::format_duration(b_));
    case Shape::kLogNormal:
      return fmt::format("lognormal({}, {:g})", sim::format_duration(a_), sigma_);
  }
  return "?";
}

}  // namespace fraudsim
