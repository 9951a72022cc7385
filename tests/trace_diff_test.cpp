// Finding where two traces split: the first differing event, its time, and the events around it.
#include <doctest/doctest.h>

#include <sstream>

#include "src/trace_diff.h"

namespace fraudsim {
namespace {

// Trace lines "T deliver x/N ..." with one event every millisecond.
std::string trace(int events, int planted_at = 0, const std::string& planted = "") {
  std::string out;
  for (int i = 1; i <= events; ++i) {
    out += i == planted_at ? planted : std::to_string(i * 1000) + " deliver x/" + std::to_string(i) + " Msg {}";
    out += "\n";
  }
  return out;
}

std::optional<TraceDivergence> diverge(const std::string& a, const std::string& b) {
  std::istringstream in_a(a), in_b(b);
  return first_divergence(in_a, in_b);
}

TEST_CASE("identical traces have no divergence") {
  CHECK_FALSE(diverge(trace(50), trace(50)));
  CHECK_FALSE(diverge("", ""));
}

TEST_CASE("a divergence planted at a known event is reported at that event, with its time") {
  const auto d = diverge(trace(100), trace(100, 42, "41500 deliver x/other Msg {}"));
  REQUIRE(d);
  CHECK(d->event == 42);
  REQUIRE(d->split);
  CHECK(*d->split == 41500);  // the earlier of the two differing events
  REQUIRE(d->common.size() == kContextBefore);
  CHECK(d->common.front().first == 39);
  CHECK(d->common.back().second == "41000 deliver x/41 Msg {}");
  CHECK(d->a == std::vector<std::string>{"42000 deliver x/42 Msg {}", "43000 deliver x/43 Msg {}",
                                         "44000 deliver x/44 Msg {}"});
  CHECK(d->b.front() == "41500 deliver x/other Msg {}");
}

TEST_CASE("a divergence at the first event has no context before it") {
  const auto d = diverge(trace(5), trace(5, 1, "7 timer t/x [1]"));
  REQUIRE(d);
  CHECK(d->event == 1);
  CHECK(d->common.empty());
  CHECK(*d->split == 7);
}

TEST_CASE("a trace that ends early diverges where it ends") {
  const auto d = diverge(trace(10), trace(7));
  REQUIRE(d);
  CHECK(d->event == 8);
  CHECK(d->b.empty());
  CHECK(d->a.size() == 3);
  const std::string report = describe_divergence(*d, "a.trace", "b.trace");
  CHECK(report.find("first divergence at event 8, virtual time 0d 00:00:00.008000 (8000 µs):") == 0);
  CHECK(report.find("+          8  (b.trace ends here)") != std::string::npos);
}

TEST_CASE("the report marks the first trace's events - and the second's +") {
  const auto d = diverge(trace(10), trace(10, 5, "5000 deliver x/changed Msg {}"));
  const std::string report = describe_divergence(*d, "before", "after");
  CHECK(report.find("  - before\n  + after\n") != std::string::npos);
  CHECK(report.find("             4  4000 deliver x/4 Msg {}\n") != std::string::npos);
  CHECK(report.find("  -          5  5000 deliver x/5 Msg {}\n") != std::string::npos);
  CHECK(report.find("  +          5  5000 deliver x/changed Msg {}\n") != std::string::npos);
}

}  // namespace
}  // namespace fraudsim
