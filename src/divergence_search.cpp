#include "src/divergence_search.h"

#include <deque>
#include <functional>
#include <ostream>
#include <streambuf>

#include "model/served_transport.h"
#include "sim/fingerprint.h"
#include "src/interrupt.h"

namespace fraudsim {
namespace {

// An output buffer that hands each complete line (without its newline) to a callback.
class LineBuffer : public std::streambuf {
 public:
  explicit LineBuffer(std::function<void(const std::string&)> on_line) : on_line_(std::move(on_line)) {}

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    put(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) put(s[i]);
    return n;
  }

 private:
  void put(char c) {
    if (c != '\n') {
      line_.push_back(c);
      return;
    }
    on_line_(line_);
    line_.clear();
  }
  std::function<void(const std::string&)> on_line_;
  std::string line_;
};

struct Stop {};

// Runs a scenario with every trace line handed to `on_line`, which may throw Stop to end it early.
void trace_run(const Scenario& scenario, const std::function<void(const std::string&)>& on_line) {
  LineBuffer buffer(on_line);
  std::ostream stream(&buffer);
  sim::TraceWriter trace(stream);
  RunHooks hooks;
  hooks.trace = &trace;
  hooks.on_progress = [](sim::Time, std::uint64_t) { throw_if_interrupted(); };
  try {
    run_with_served_endpoints(scenario, hooks);
  } catch (const Stop&) {
  }
}

}  // namespace

std::optional<TraceDivergence> first_divergence_between(const Scenario& before, const Scenario& after) {
  std::vector<std::uint64_t> hashes;
  trace_run(before, [&](const std::string& line) { hashes.push_back(sim::hash_bytes(line)); });

  std::uint64_t index = 0;  // 0-based event of the line at hand
  std::optional<std::uint64_t> split;
  std::deque<std::pair<std::uint64_t, std::string>> common;
  std::vector<std::string> after_lines;
  trace_run(after, [&](const std::string& line) {
    if (!split && (index >= hashes.size() || sim::hash_bytes(line) != hashes[index])) split = index;
    if (split) {
      after_lines.push_back(line);
      if (after_lines.size() > kContextAfter) throw Stop{};
    } else {
      common.emplace_back(index + 1, line);
      if (common.size() > kContextBefore) common.pop_front();
    }
    ++index;
  });
  if (!split && index < hashes.size()) split = index;  // the second run ended early
  if (!split) return std::nullopt;

  std::vector<std::string> before_lines;
  index = 0;
  trace_run(before, [&](const std::string& line) {
    if (index >= *split) {
      before_lines.push_back(line);
      if (before_lines.size() > kContextAfter) throw Stop{};
    }
    ++index;
  });
  return make_divergence(*split + 1, {common.begin(), common.end()}, std::move(before_lines),
                         std::move(after_lines));
}

}  // namespace fraudsim
