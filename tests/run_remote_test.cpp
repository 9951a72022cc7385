// Whole runs with functions behind endpoints, served in process by fraudsim's own functions: they
// give the results of the embedded run.
#include <doctest/doctest.h>

#include "model/scenario.h"
#include "model/served_functions.h"
#include "tests/remote_test_support.h"

namespace fraudsim::testing {
namespace {

constexpr const char* kAnyUrl = "=http://127.0.0.1:9/statefun";  // the served transport ignores it

std::vector<std::string> workshop_settings(std::vector<std::string> extra) {
  std::vector<std::string> settings{"run.duration=5min", "traffic.rate=20/s", "fraud.window=2min",
                                    "fraud.alert_confirm_share=0.3"};
  settings.insert(settings.end(), extra.begin(), extra.end());
  return settings;
}

// The embedded run and the run with `endpoints` served in process, both with `common` settings.
std::pair<RunOutcome, RunOutcome> embedded_and_served(const std::vector<std::string>& common,
                                                      const std::vector<std::string>& endpoints) {
  std::vector<std::string> remote_settings = common;
  for (const std::string& pattern : endpoints) remote_settings.push_back("endpoints." + pattern + kAnyUrl);
  const Scenario remote = make_scenario(workshop_settings(remote_settings));
  ServedFunctions served(remote);
  ServedTransport transport(served);
  RunOutcome embedded = run_recording_alerts(make_scenario(workshop_settings(common)));
  RunOutcome served_run = run_recording_alerts(remote, &transport);
  CHECK(transport.requests > 1000);
  return {std::move(embedded), std::move(served_run)};
}

TEST_CASE("remote run: the model served by fraudsim's functions gives the embedded run, event for event") {
  const auto [embedded, served] = embedded_and_served({}, {"com.ververica.ds/model"});
  check_same_alerts_and_counts(embedded, served);
  CHECK(served.report.fingerprint == embedded.report.fingerprint);
}

TEST_CASE("remote run: FraudCount served by fraudsim's functions gives the embedded run's alerts") {
  const auto [embedded, served] =
      embedded_and_served({"remote.latency=fixed(0ms)"}, {"com.ververica.fn/counter"});
  CHECK(served.report.types[1].remote);
  check_same_alerts_and_counts(embedded, served);
}

TEST_CASE("remote run: all four functions served by fraudsim's functions give the embedded run's "
          "alerts and counts") {
  // Served functions have no clock, so the merchant service answers at once in both runs.
  const auto [embedded, served] =
      embedded_and_served({"remote.latency=fixed(0ms)", "merchant.latency=fixed(0ms)"},
                          {"com.ververica.fn/*", "com.ververica.ds/*"});
  for (const sim::TypeStatistics& type : served.report.types) CHECK(type.remote);
  check_same_alerts_and_counts(embedded, served);
}

}  // namespace
}  // namespace fraudsim::testing
