#pragma once
// Progress on stderr for runs longer than a couple of seconds: virtual time reached and events per
// second, rewritten in place. Wall-clock time here is for the display only; it never reaches the
// simulation.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

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

namespace fraudsim {

// Progress of many runs on stderr: "runs 12/40 done · about 1m 05s left". On a terminal the line is
// rewritten in place (at most twice a second); elsewhere (a CI log) a line is printed at each
// tenth of the runs. Wall-clock time is for the display only.
class SweepProgress {
 public:
  enum class Mode { kOff, kTerminal, kLog };
  SweepProgress(std::ostream& err, Mode mode, std::size_t total);
  void update(std::size_t done);
  // Clears the terminal line, if one was shown.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  Mode mode_;
  std::size_t total_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_shown_{};
  std::size_t last_tenth_ = 0;
  bool shown_ = false;
};

// The progress line for `done` of `total` runs after `elapsed_seconds` of wall time; the time left
// is estimated from the runs done so far, and left out until one is.
std::string sweep_progress_line(std::size_t done, std::size_t total, double elapsed_seconds);

}  // namespace fraudsim
