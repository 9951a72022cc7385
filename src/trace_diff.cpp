#include "src/trace_diff.h"

#include <charconv>
#include <deque>
#include <istream>

#include <fmt/format.h>

#include "src/readable.h"

namespace fraudsim {
namespace {

// A trace line starts with its virtual time in µs.
std::optional<sim::Time> time_of(const std::string& line) {
  sim::Time t = 0;
  const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), t);
  if (error != std::errc() || end == line.data()) return std::nullopt;
  return t;
}

}  // namespace

TraceDivergence make_divergence(std::uint64_t event, std::vector<std::pair<std::uint64_t, std::string>> common,
                                std::vector<std::string> a, std::vector<std::string> b) {
  TraceDivergence d;
  d.event = event;
  d.common = std::move(common);
  d.a = std::move(a);
  d.b = std::move(b);
  for (const auto* side : {&d.a, &d.b}) {
    if (side->empty()) continue;
    const auto t = time_of(side->front());
    if (t && (!d.split || *t < *d.split)) d.split = t;
  }
  return d;
}

std::optional<TraceDivergence> first_divergence(std::istream& a, std::istream& b) {
  std::deque<std::pair<std::uint64_t, std::string>> recent;
  std::string line_a, line_b;
  for (std::uint64_t event = 1;; ++event) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return std::nullopt;
    if (more_a && more_b && line_a == line_b) {
      recent.emplace_back(event, line_a);
      if (recent.size() > kContextBefore) recent.pop_front();
      continue;
    }
    std::vector<std::string> rest_a, rest_b;
    if (more_a) rest_a.push_back(line_a);
    if (more_b) rest_b.push_back(line_b);
    for (std::size_t i = 0; i < kContextAfter; ++i) {
      if (more_a && std::getline(a, line_a)) rest_a.push_back(line_a);
      if (more_b && std::getline(b, line_b)) rest_b.push_back(line_b);
    }
    return make_divergence(event, {recent.begin(), recent.end()}, std::move(rest_a), std::move(rest_b));
  }
}

std::string describe_divergence(const TraceDivergence& d, const std::string& name_a,
                                const std::string& name_b) {
  std::string out = fmt::format("first divergence at event {}", grouped(d.event));
  if (d.split) out += fmt::format(", virtual time {} ({} µs)", sim::format_instant(*d.split), *d.split);
  out += fmt::format(":\n  - {}\n  + {}\n", name_a, name_b);
  for (const auto& [event, line] : d.common) out += fmt::format("    {:>10}  {}\n", grouped(event), line);
  const auto side = [&](const std::vector<std::string>& lines, char mark, const std::string& name) {
    if (lines.empty()) out += fmt::format("  {} {:>10}  ({} ends here)\n", mark, grouped(d.event), name);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += fmt::format("  {} {:>10}  {}\n", mark, grouped(d.event + i), lines[i]);
    }
  };
  side(d.a, '-', name_a);
  side(d.b, '+', name_b);
  return out;
}

}  // namespace fraudsim
