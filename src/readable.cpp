#include "src/readable.h"

#include <cmath>

#include <fmt/format.h>

namespace fraudsim {

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string readable(sim::Time t) {
  if (t < sim::kMillisecond) return fmt::format("{}us", t);
  if (t < sim::kSecond) return fmt::format("{:.3g}ms", static_cast<double>(t) / 1e3);
  if (t < sim::kMinute) return fmt::format("{:.3g}s", static_cast<double>(t) / 1e6);
  if (t < sim::kHour) return fmt::format("{:.3g}min", static_cast<double>(t) / 6e7);
  return fmt::format("{:.3g}h", static_cast<double>(t) / 3.6e9);
}

std::string readable_wall_seconds(double seconds) {
  if (seconds < 10) return fmt::format("{:.1f}s", seconds);
  const auto whole = static_cast<std::int64_t>(std::llround(seconds));
  if (whole < 60) return fmt::format("{}s", whole);
  if (whole < 3600) return fmt::format("{}m {:02}s", whole / 60, whole % 60);
  return fmt::format("{}h {:02}m", whole / 3600, whole / 60 % 60);
}

}  // namespace fraudsim
