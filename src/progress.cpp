#include "src/progress.h"

#include <fmt/format.h>

namespace fraudsim {

Progress::Progress(std::ostream& err, bool enabled, sim::Time horizon)
    : err_(err), enabled_(enabled), horizon_(horizon) {}

void Progress::update(sim::Time now, std::uint64_t events) {
  if (!enabled_) return;
  const auto wall = Clock::now();
  const double elapsed = std::chrono::duration<double>(wall - start_).count();
  if (elapsed < 2.0 || (shown_ && wall - last_shown_ < std::chrono::milliseconds(500))) return;
  const double share = horizon_ > 0 ? static_cast<double>(now) / static_cast<double>(horizon_) : 1;
  err_ << fmt::format("\r  virtual {} of {} ({:.0f}%) · {:.2f} M events/s   ",
                      sim::format_instant(now), sim::format_duration(horizon_), 100 * share,
                      static_cast<double>(events) / elapsed / 1e6)
       << std::flush;
  last_shown_ = wall;
  shown_ = true;
}

void Progress::finish() {
  if (!shown_) return;
  err_ << "\r" << std::string(78, ' ') << "\r" << std::flush;
  shown_ = false;
}

}  // namespace fraudsim
