#include "src/progress.h"

#include <fmt/format.h>

#include "src/readable.h"

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

namespace fraudsim {

std::string sweep_progress_line(std::size_t done, std::size_t total, double elapsed_seconds) {
  std::string line = fmt::format("runs {}/{} done", done, total);
  if (done > 0 && done < total) {
    const double left = elapsed_seconds / static_cast<double>(done) * static_cast<double>(total - done);
    line += fmt::format(" · about {} left", readable_wall_seconds(left));
  }
  return line;
}

SweepProgress::SweepProgress(std::ostream& err, Mode mode, std::size_t total)
    : err_(err), mode_(mode), total_(total) {}

void SweepProgress::update(std::size_t done) {
  if (mode_ == Mode::kOff || total_ == 0) return;
  const auto wall = Clock::now();
  const double elapsed = std::chrono::duration<double>(wall - start_).count();
  if (mode_ == Mode::kLog) {
    const std::size_t tenth = done * 10 / total_;
    if (tenth == last_tenth_) return;
    last_tenth_ = tenth;
    err_ << "  " << sweep_progress_line(done, total_, elapsed) << "\n" << std::flush;
    return;
  }
  if (done < total_ && shown_ && wall - last_shown_ < std::chrono::milliseconds(500)) return;
  err_ << "\r  " << sweep_progress_line(done, total_, elapsed) << "   " << std::flush;
  last_shown_ = wall;
  shown_ = true;
}

void SweepProgress::finish() {
  if (mode_ != Mode::kTerminal || !shown_) return;
  err_ << "\r" << std::string(78, ' ') << "\r" << std::flush;
  shown_ = false;
}

}  // namespace fraudsim
