#include "src/expectations_check.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/pipeline.h"
#include "src/readable.h"
#include "src/result_writer.h"

namespace fraudsim {
namespace {

using Json = nlohmann::ordered_json;

// The value at a dotted path, or null when there is none.
const Json* value_at(const Json& root, const std::string& path) {
  const Json* at = &root;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object() || !at->contains(part)) return nullptr;
    at = &(*at)[part];
    if (dot == std::string::npos) return at;
    start = dot + 1;
  }
  return nullptr;
}

void collect_paths(const Json& value, const std::string& prefix, std::vector<std::string>& out) {
  if (!value.is_object()) {
    out.push_back(prefix);
    return;
  }
  for (const auto& [key, child] : value.items()) collect_paths(child, prefix.empty() ? key : prefix + "." + key, out);
}

// Every value path a summary can have: those of an empty run's summary, and those that are null
// there (the latencies when nothing was decided, the job failure).
std::vector<std::string> summary_paths(const Scenario& scenario) {
  std::vector<std::string> paths;
  collect_paths(Json::parse(summary_json(scenario, RunReport{})), "", paths);
  for (const char* p : {"p50", "p90", "p99", "p999", "max", "mean"}) {
    paths.push_back(std::string("decision_latency_us.") + p);
  }
  for (const char* p : {"time_us", "time", "cause"}) paths.push_back(std::string("job_failure.") + p);
  return paths;
}

// A value as the expectation reads it: a latency in µs also as a duration.
std::string shown(const std::string& key, const Json* value) {
  if (value == nullptr || value->is_null()) return "none";
  const bool microseconds = key.find("_us.") != std::string::npos ||
                            (key.size() > 3 && key.compare(key.size() - 3, 3, "_us") == 0);
  if (microseconds && value->is_number_integer()) {
    return fmt::format("{} ({})", value->dump(), readable(value->get<sim::Time>()));
  }
  return value->dump();
}

}  // namespace

void check_expectation_keys(const Scenario& scenario) {
  if (scenario.expectations.empty()) return;
  const std::vector<std::string> paths = summary_paths(scenario);
  for (const Expectation& e : scenario.expectations) {
    if (std::find(paths.begin(), paths.end(), e.key) != paths.end()) continue;
    const auto inside = std::find_if(paths.begin(), paths.end(), [&](const std::string& p) {
      return p.rfind(e.key + ".", 0) == 0;
    });
    if (inside != paths.end()) {
      throw sim::InputError(fmt::format("{}: expect {} = '{}': '{}' holds several values; bound one "
                                        "of them, e.g. '{}'",
                                        e.origin, e.key, e.bound, e.key, *inside));
    }
    const std::string near = sim::closest_key(e.key, paths);
    throw sim::InputError(fmt::format("{}: expect {} = '{}': the summary has no value '{}'{}", e.origin,
                                      e.key, e.bound, e.key,
                                      near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
  }
}

std::vector<std::string> broken_expectations(const Scenario& scenario, const std::string& summary) {
  const Json root = Json::parse(summary);
  std::vector<std::string> broken;
  for (const Expectation& e : scenario.expectations) {
    const Json* value = value_at(root, e.key);
    bool kept = false;
    switch (e.kind) {
      case Expectation::Kind::kNone:
        kept = value == nullptr || value->is_null();
        break;
      case Expectation::Kind::kExactly:
        kept = value != nullptr && value->is_number() && value->get<double>() == e.exactly;
        break;
      case Expectation::Kind::kRange:
        kept = value != nullptr && value->is_number() && (!e.low || value->get<double>() >= *e.low) &&
               (!e.high || value->get<double>() <= *e.high);
        break;
    }
    if (!kept) {
      broken.push_back(fmt::format("expect {} = {} ({}): it was {}", e.key, e.bound, e.origin, shown(e.key, value)));
    }
  }
  return broken;
}

}  // namespace fraudsim
