#pragma once
// Numbers and durations as people read them on a terminal.
#include <cstdint>
#include <string>

#include "sim/time.h"

namespace fraudsim {

// "1,234,567"
std::string grouped(std::uint64_t n);
// A latency: "850us", "12.3ms", "2.51s", "3.2min", "1.5h".
std::string readable(sim::Time t);
// Wall-clock seconds: "0.8s", "42s", "3m 05s", "1h 02m".
std::string readable_wall_seconds(double seconds);

}  // namespace fraudsim
