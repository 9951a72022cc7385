#include "model/expectations.h"

#include <charconv>

#include <fmt/format.h>

namespace fraudsim {

double parse_bound_number(std::string_view text) {
  text = sim::trim(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!text.empty() && error == std::errc() && end == text.data() + text.size()) return value;
  try {
    return static_cast<double>(sim::parse_duration_value(text));
  } catch (const sim::ValueError&) {
    throw sim::ValueError(fmt::format("'{}' is not a number or a duration", text));
  }
}

Expectation parse_expectation(const sim::SettingAssignment& a) {
  Expectation e;
  e.key = a.key.substr(kExpectSection.size());
  e.bound = std::string(sim::trim(a.value));
  e.origin = a.origin;
  try {
    if (e.key.empty()) throw sim::ValueError("the summary value to bound is missing");
    if (e.bound == "none") {
      e.kind = Expectation::Kind::kNone;
    } else if (const auto dots = e.bound.find(".."); dots != std::string::npos) {
      const std::string_view low = sim::trim(std::string_view(e.bound).substr(0, dots));
      const std::string_view high = sim::trim(std::string_view(e.bound).substr(dots + 2));
      if (low.empty() && high.empty()) throw sim::ValueError("a range needs at least one end");
      if (!low.empty()) e.low = parse_bound_number(low);
      if (!high.empty()) e.high = parse_bound_number(high);
      if (e.low && e.high && *e.low > *e.high) throw sim::ValueError("the range runs backwards");
    } else if (!e.bound.empty()) {
      e.kind = Expectation::Kind::kExactly;
      e.exactly = parse_bound_number(e.bound);
    } else {
      throw sim::ValueError("the bound is missing");
    }
  } catch (const sim::ValueError& error) {
    throw sim::InputError(fmt::format(
        "{}: expect {} = '{}': {}; write LOW..HIGH, ..HIGH, LOW.., a value, or none", a.origin,
        e.key, e.bound, error.what()));
  }
  return e;
}

}  // namespace fraudsim
