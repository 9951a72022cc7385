// Whole runs with functions behind endpoints: served by fraudsim's own functions (in process, then
// over HTTP), they give the results of the embedded run.
#include <doctest/doctest.h>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "model/served_functions.h"
#include "tests/remote_test_support.h"
#include "tests/test_support.h"

namespace fraudsim::testing {
namespace {

struct Outcome {
  RunReport report;
  std::vector<std::pair<sim::Time, std::uint64_t>> alerts;
};

Outcome run(const Scenario& scenario, sim::remote::Transport* transport) {
  Outcome outcome;
  RunHooks hooks;
  hooks.transport = transport;
  hooks.on_alert = [&](sim::Time now, const workshop::Transaction& t) {
    outcome.alerts.emplace_back(now, t.id());
  };
  outcome.report = run_pipeline(scenario, hooks);
  return outcome;
}

std::vector<std::string> workshop_settings(std::vector<std::string> extra) {
  std::vector<std::string> settings{"run.duration=5min", "traffic.rate=20/s", "fraud.window=2min",
                                    "fraud.alert_confirm_share=0.3"};
  settings.insert(settings.end(), extra.begin(), extra.end());
  return settings;
}

TEST_CASE("remote run: the model served by fraudsim's functions gives the embedded run, event for event") {
  const Scenario embedded = make_scenario(workshop_settings({}));
  const Scenario remote =
      make_scenario(workshop_settings({"endpoints.com.ververica.ds/model=http://127.0.0.1:9/statefun"}));
  ServedFunctions served(remote);
  ServedTransport transport(served);
  const Outcome a = run(embedded, nullptr);
  const Outcome b = run(remote, &transport);
  CHECK(transport.requests > 1000);
  CHECK_FALSE(b.report.failure);
  CHECK(a.alerts.size() > 100);
  CHECK(b.alerts == a.alerts);
  CHECK(b.report.fingerprint == a.report.fingerprint);
}

TEST_CASE("remote run: FraudCount served by fraudsim's functions gives the embedded run's alerts") {
  const std::vector<std::string> zero_latency{"remote.latency=fixed(0ms)"};
  const Scenario embedded = make_scenario(workshop_settings(zero_latency));
  std::vector<std::string> remote_settings = zero_latency;
  remote_settings.push_back("endpoints.com.ververica.fn/counter=http://127.0.0.1:9/statefun");
  const Scenario remote = make_scenario(workshop_settings(remote_settings));
  ServedFunctions served(remote);
  ServedTransport transport(served);
  const Outcome a = run(embedded, nullptr);
  const Outcome b = run(remote, &transport);
  CHECK_FALSE(b.report.failure);
  CHECK(b.report.types[1].calls.completed_calls > 1000);
  CHECK(b.alerts == a.alerts);
  CHECK(b.report.metrics.totals().decisions == a.report.metrics.totals().decisions);
  CHECK(b.report.metrics.totals().confirmations == a.report.metrics.totals().confirmations);
}

TEST_CASE("remote run: all four functions served by fraudsim's functions give the embedded run's "
          "alerts and counts") {
  // Served functions have no clock, so the merchant service answers at once in both runs.
  const std::vector<std::string> common{"remote.latency=fixed(0ms)", "merchant.latency=fixed(0ms)"};
  const Scenario embedded = make_scenario(workshop_settings(common));
  std::vector<std::string> remote_settings = common;
  remote_settings.push_back("endpoints.com.ververica.fn/*=http://127.0.0.1:9/statefun");
  remote_settings.push_back("endpoints.com.ververica.ds/*=http://127.0.0.1:9/statefun");
  const Scenario remote = make_scenario(workshop_settings(remote_settings));
  ServedFunctions served(remote);
  ServedTransport transport(served);
  const Outcome a = run(embedded, nullptr);
  const Outcome b = run(remote, &transport);
  REQUIRE_FALSE(b.report.failure);
  for (const sim::TypeStatistics& type : b.report.types) CHECK(type.remote);
  CHECK(a.alerts.size() > 100);
  CHECK(b.alerts == a.alerts);
  const Counts& x = a.report.metrics.totals();
  const Counts& y = b.report.metrics.totals();
  CHECK(y.transactions == x.transactions);
  CHECK(y.decisions == x.decisions);
  CHECK(y.alerts == x.alerts);
  CHECK(y.confirmations == x.confirmations);
  CHECK(b.report.metrics.decision_latency().count() == a.report.metrics.decision_latency().count());
}

}  // namespace
}  // namespace fraudsim::testing
