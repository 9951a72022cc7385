#pragma once
// The first event at which two traces (fraudsim run --trace) differ, with a few events of context:
// where two runs' behaviour split.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace fraudsim {

struct TraceDivergence {
  std::uint64_t event = 0;  // 1-based: the line of the first event that differs
  std::vector<std::pair<std::uint64_t, std::string>> common;  // the events before it, in both
  std::vector<std::string> a, b;  // from the first differing event on (none: that trace ended)
  std::optional<sim::Time> split;  // the virtual time of the earlier of the two differing events
};

inline constexpr std::size_t kContextBefore = 3;
inline constexpr std::size_t kContextAfter = 2;

// Reads both traces in step; none when they are the same.
std::optional<TraceDivergence> first_divergence(std::istream& a, std::istream& b);

// Builds a divergence from what is known around it (for traces compared without being kept).
TraceDivergence make_divergence(std::uint64_t event, std::vector<std::pair<std::uint64_t, std::string>> common,
                                std::vector<std::string> a, std::vector<std::string> b);

// The report: where, when, and the events around it, the first trace's marked '-', the second's '+'.
std::string describe_divergence(const TraceDivergence& d, const std::string& name_a,
                                const std::string& name_b);

}  // namespace fraudsim
