#include "model/windows.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/settings.h"

namespace fraudsim {

std::vector<Window> parse_windows(std::string_view text) {
  std::vector<Window> windows;
  std::size_t start = 0;
  auto blank = [](std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; };
  if (blank(text) || sim::trim(text) == "none") return windows;
  while (true) {
    const auto comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    const auto plus = item.find('+');
    if (plus == std::string_view::npos) {
      throw sim::ValueError(fmt::format("window '{}' must be START+LENGTH, e.g. 10min+30s",
                                        std::string(item)));
    }
    Window w{sim::parse_duration_value(item.substr(0, plus)),
             sim::parse_duration_value(item.substr(plus + 1))};
    if (w.length <= 0) throw sim::ValueError("a window's length must be positive");
    if (!windows.empty() && w.start < windows.back().end()) {
      throw sim::ValueError("windows must be in time order and must not overlap");
    }
    windows.push_back(w);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return windows;
}

sim::Time cut_by(const std::vector<Window>& windows, sim::Time start, sim::Time latency) {
  for (const Window& w : windows) {
    if (w.covers(start)) return start;
    if (w.start > start) {
      const bool answered_first = latency != sim::kNever && start + latency <= w.start;
      return answered_first ? sim::kNever : w.start;
    }
  }
  return sim::kNever;
}

OnOffProcess::OnOffProcess(sim::StreamKey stream, double rate_per_second, sim::Time mean_length)
    : stream_(stream), rate_(rate_per_second), mean_length_(mean_length) {}

void OnOffProcess::generate_past(sim::Time t) {
  if (rate_ <= 0) return;
  while (generated_until_ <= t) {
    sim::Rng rng(stream_, windows_.size());
    const auto up = static_cast<sim::Time>(std::llround(sim::exponential(rng, 1e6 / rate_)));
    const auto down = std::max<sim::Time>(
        1, static_cast<sim::Time>(std::llround(sim::exponential(rng, static_cast<double>(mean_length_)))));
    windows_.push_back(Window{generated_until_ + up, down});
    generated_until_ = windows_.back().end();
  }
}

const Window* OnOffProcess::window_at_or_after(sim::Time t) {
  generate_past(t);
  // Windows are in time order and do not overlap, so their ends are sorted too.
  auto it = std::partition_point(windows_.begin(), windows_.end(),
                                 [t](const Window& w) { return w.end() <= t; });
  return it == windows_.end() ? nullptr : &*it;
}

std::size_t OnOffProcess::started_by(sim::Time t) {
  generate_past(t);
  return static_cast<std::size_t>(
      std::partition_point(windows_.begin(), windows_.end(),
                           [t](const Window& w) { return w.start <= t; }) -
      windows_.begin());
}

}  // namespace fraudsim
