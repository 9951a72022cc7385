#pragma once
// Progress on stderr for runs longer than a couple of seconds: virtual time reached and events per
// second, rewritten in place. Wall-clock time here is for the display only; it never reaches the
// simulation.
#include <chrono>
#include <cstdint>
#include <ostream>

#include "sim/time.h"

namespace fraudsim {

class Progress {
 public:
  Progress(std::ostream& err, bool enabled, sim::Time horizon);
  void update(sim::Time now, std::uint64_t events);
  // Clears the progress line, if one was shown.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool enabled_;
  sim::Time horizon_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_shown_{};
  bool shown_ = false;
};

}  // namespace fraudsim
