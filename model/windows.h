#pragma once
// Time windows in which something is down (a merchant-service outage, a model restart):
// written in a scenario as START+LENGTH, comma-separated, e.g. "10min+2min, 1h+30s".
// Also a seeded random on/off process that produces such windows as time goes on.
#include <string_view>
#include <vector>

#include "sim/random.h"
#include "sim/time.h"

namespace fraudsim {

struct Window {
  sim::Time start;
  sim::Time length;
  sim::Time end() const { return start + length; }
  bool covers(sim::Time t) const { return t >= start && t < end(); }
};

// Parses "none" or "" (no windows) or "START+LENGTH, ..."; windows must be in order and not overlap.
// Throws sim::ValueError.
std::vector<Window> parse_windows(std::string_view text);

// Windows of a random on/off process: up for an exponential time (mean 1/rate), then down for an
// exponential time (mean `mean_length`), and so on; generated lazily, the same for a given seed.
class OnOffProcess {
 public:
  OnOffProcess() = default;  // never down
  OnOffProcess(sim::StreamKey stream, double rate_per_second, sim::Time mean_length);
  // The window covering t, or the first one starting after t; generated up to there.
  const Window* window_at_or_after(sim::Time t);
  // Windows generated so far that start at or before t.
  std::size_t started_by(sim::Time t);

 private:
  void generate_past(sim::Time t);
  sim::StreamKey stream_{0};
  double rate_ = 0;
  sim::Time mean_length_ = 0;
  std::vector<Window> windows_;
  sim::Time generated_until_ = 0;
};

// Whether a request that starts at `start` and would take `latency` is cut by a window: returns
// the time it is cut (the start, if it starts inside one) or sim::kNever.
sim::Time cut_by(const std::vector<Window>& windows, sim::Time start, sim::Time latency);

}  // namespace fraudsim
