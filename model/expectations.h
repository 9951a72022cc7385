#pragma once
// Expectations in a scenario: bounds on values of the run's summary, checked after each run, so a
// scenario can be a regression test of its own:
//
//   [expect]
//   alerts.total            = 900..1100     # between, inclusive
//   decision_latency_us.p99 = ..12s         # at most (a duration is taken in µs)
//   merchant.timeouts       = 1..           # at least
//   job_failure             = none          # no job failure (the value is null)
//   transactions.in_flight_at_end = 0       # exactly
//
// A key is a dotted path into summary.json. Expectations change nothing the run does.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/settings.h"

namespace fraudsim {

inline constexpr std::string_view kExpectSection = "expect.";

struct Expectation {
  enum class Kind { kRange, kExactly, kNone };
  std::string key;     // path in summary.json, e.g. "alerts.total"
  std::string bound;   // as written, e.g. "900..1100"
  std::string origin;  // where it was set
  Kind kind = Kind::kRange;
  std::optional<double> low, high;  // kRange: either may be open
  double exactly = 0;               // kExactly
};

// Reads one "expect.KEY = BOUND" assignment; throws sim::InputError naming its origin, key and
// bound when the bound is not one of the forms above.
Expectation parse_expectation(const sim::SettingAssignment& assignment);

// A bound's number: a plain number, or a duration (e.g. 12s) in µs. Throws sim::ValueError.
double parse_bound_number(std::string_view text);

}  // namespace fraudsim
