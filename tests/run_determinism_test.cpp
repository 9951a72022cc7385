// Determinism is the product: the same scenario and seed give the same fingerprint and the same
// deterministic files, byte for byte; another seed or another setting gives another fingerprint.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "model/scenario.h"
#include "test_support.h"
#include "tests/remote_test_support.h"

namespace fraudsim::testing {
namespace {

// Every scenario in scenarios/, with a horizon short enough for a unit test.
std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("scenarios"))) {
    if (entry.path().extension() == ".ini") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Keeps a unit test fast without moving any scenario's faults out of its horizon: population
// traffic runs 3 days; the workshop generator keeps its horizon at a tenth of the rate.
std::string short_run(const std::string& scenario) {
  return load_scenario(scenario, {}).traffic.generator == Generator::kPopulation
             ? "run.duration=3d"
             : "traffic.rate=10/s";
}

std::string fingerprint_of(const std::filesystem::path& directory) {
  return nlohmann::json::parse(read_file(directory / "summary.json")).at("fingerprint");
}

CliResult run_into(const std::filesystem::path& out, const std::string& scenario,
                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run", scenario, "--quiet", "--out", out.string(), "--set",
                                short_run(scenario)};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_fraudsim(args);
}

// A scenario with endpoints runs against fraudsim's own functions, served in process for it:
// the server, and the --set arguments that point the scenario's endpoints at it.
struct ServedEndpoints {
  explicit ServedEndpoints(const std::string& scenario) {
    const Scenario loaded = load_scenario(scenario, {});
    if (loaded.endpoints.empty()) return;
    server = std::make_unique<RunningServer>(loaded);
    for (const EndpointRule& rule : loaded.endpoints) {
      arguments.insert(arguments.end(), {"--set", "endpoints." + rule.pattern + "=" + server->url()});
    }
    // This server stands in for the one the scenario would start.
    arguments.insert(arguments.end(), {"--set", "model.server=none", "--set", "model.server_after_restart=same"});
  }
  std::unique_ptr<RunningServer> server;
  std::vector<std::string> arguments;
};

}  // namespace

TEST_CASE("two runs of every shipped scenario give identical fingerprints and files") {
  const std::vector<std::string> scenarios = shipped_scenarios();
  REQUIRE(scenarios.size() >= 2);
  for (const std::string& scenario : scenarios) {
    CAPTURE(scenario);
    ScratchDirectory scratch;
    const ServedEndpoints served(scenario);
    // A scenario may end in a job failure (exit code 3); both runs must end alike.
    const int code = run_into(scratch / "a", scenario, served.arguments).exit_code;
    CHECK((code == 0 || code == 3));
    CHECK(run_into(scratch / "b", scenario, served.arguments).exit_code == code);
    for (const char* file : {"summary.json", "alerts.csv", "timeseries.csv", "latency_histogram.csv"}) {
      CAPTURE(file);
      const std::string a = read_file(scratch / "a" / file);
      CHECK(!a.empty());
      CHECK(a == read_file(scratch / "b" / file));
    }
  }
}

TEST_CASE("another seed gives another fingerprint") {
  ScratchDirectory scratch;
  const std::string scenario = source_path("scenarios/workshop.ini");
  REQUIRE(run_into(scratch / "one", scenario, {"--seed", "1"}).exit_code == 0);
  REQUIRE(run_into(scratch / "two", scenario, {"--seed", "2"}).exit_code == 0);
  CHECK(fingerprint_of(scratch / "one") != fingerprint_of(scratch / "two"));
}

TEST_CASE("another fraud window gives another fingerprint") {
  ScratchDirectory scratch;
  const std::string scenario = source_path("scenarios/baseline.ini");
  REQUIRE(run_into(scratch / "w30", scenario, {"--set", "fraud.window=30d"}).exit_code == 0);
  REQUIRE(run_into(scratch / "w1", scenario, {"--set", "fraud.window=1d"}).exit_code == 0);
  CHECK(fingerprint_of(scratch / "w30") != fingerprint_of(scratch / "w1"));
}

TEST_CASE("the trace is identical between runs and does not change the fingerprint") {
  ScratchDirectory scratch;
  const std::string scenario = source_path("scenarios/workshop.ini");
  REQUIRE(run_into(scratch / "plain", scenario, {"--set", "run.duration=20s"}).exit_code == 0);
  REQUIRE(run_into(scratch / "traced1", scenario,
                   {"--set", "run.duration=20s", "--trace", (scratch / "t1.trace").string()})
              .exit_code == 0);
  REQUIRE(run_into(scratch / "traced2", scenario,
                   {"--set", "run.duration=20s", "--trace", (scratch / "t2.trace").string()})
              .exit_code == 0);
  CHECK(fingerprint_of(scratch / "plain") == fingerprint_of(scratch / "traced1"));
  const std::string trace = read_file(scratch / "t1.trace");
  CHECK(trace.size() > 1000);
  CHECK(trace == read_file(scratch / "t2.trace"));
}

}  // namespace fraudsim::testing
