// Against the real peer: remote functions written with the official StateFun JavaScript SDK
// (tests/js-peer/peer.js, npm apache-flink-statefun@3.3.0). Run by tests/js-peer/run-peer-tests.sh,
// which starts the peer and passes its URL in FRAUDSIM_JS_PEER.
#include <doctest/doctest.h>

#include <cstdlib>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "sim/protocol/typed_value.h"
#include "sim/remote/http_transport.h"
#include "sim/remote/remote_function.h"
#include "tests/remote_test_support.h"
#include "tests/test_support.h"

namespace fraudsim::testing {
namespace {

// Where run-peer-tests.sh put peer.js with its npm packages.
std::string peer_directory() {
  const char* directory = std::getenv("FRAUDSIM_JS_PEER_DIR");
  REQUIRE_MESSAGE(directory != nullptr, "FRAUDSIM_JS_PEER_DIR is not set: run tests/js-peer/run-peer-tests.sh");
  return directory;
}

std::string peer_url() {
  const char* url = std::getenv("FRAUDSIM_JS_PEER");
  REQUIRE_MESSAGE(url != nullptr, "FRAUDSIM_JS_PEER is not set: run tests/js-peer/run-peer-tests.sh");
  return url;
}

class FixedLatency : public sim::CallEndpoint {
 public:
  sim::CallAttempt attempt(sim::Time, const sim::Address&, std::uint64_t, int, std::size_t) override {
    return {sim::kMillisecond, true, ""};
  }
};

TEST_CASE("js peer: state is negotiated, and a delayed message cancelled in a later call never arrives") {
  sim::Runtime runtime;
  IdentityConventions conventions;
  sim::remote::HttpTransport transport;
  sim::remote::RemoteFunction reminder(peer_url(), conventions, transport);
  FixedLatency endpoint;
  std::vector<Received> received;
  Recorder recorder(received);
  RecordingEgress egress;
  const sim::TypeId reminder_type = runtime.declare_type("fraudsim.test/reminder");
  runtime.bind(runtime.declare_type("local/recorder"), &recorder);
  runtime.bind_egress("out", &egress);
  runtime.bind_remote(reminder_type, &reminder, &endpoint, sim::CallPolicy{});
  const auto say = [&](sim::Time at, const std::string& text) {
    runtime.ingest(at, reminder_type, "r1", sim::make_message(sim::protocol::string_value(text)));
  };
  say(0, "arm:a:1000");
  say(0, "arm:b:2000");
  say(500 * sim::kMillisecond, "disarm:a");
  runtime.run_until(10 * sim::kSecond);

  REQUIRE_MESSAGE(!runtime.failure(), runtime.failure()->cause);
  const sim::CallStatistics& calls = runtime.type_statistics()[reminder_type].calls;
  CHECK(calls.resends == 1);  // the first call learned of the state "armed"
  REQUIRE(reminder.registered_states().size() == 1);
  CHECK(reminder.registered_states()[0].name == "armed");
  REQUIRE(received.size() == 1);  // "a" was cancelled, "b" rang
  CHECK(sim::protocol::as_string(*sim::message_as<sim::protocol::TypedValue>(*received[0].message)) ==
        "rang:b");
  // "arm:a" was answered at 2 ms (negotiation, then the resend); "arm:b", waiting meanwhile, went
  // in the next call and was armed by its answer at 3 ms; it rang 2 s later, came back through one
  // more call (1 ms) and reached the recorder one hop (1 ms) after that.
  CHECK(received[0].time == 3 * sim::kMillisecond + 2 * sim::kSecond + 2 * sim::kMillisecond);
  CHECK(egress.emitted.size() == 1);
}

std::vector<std::string> settings(std::vector<std::string> extra) {
  // The peer runs with --window-ms 120000 and its default weights, which are fraudsim's.
  std::vector<std::string> all{"run.duration=5min", "traffic.rate=20/s", "fraud.window=2min",
                               "fraud.alert_confirm_share=0.3", "model.kind=weighted",
                               "model.threshold=40", "remote.latency=fixed(0ms)"};
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

TEST_CASE("js peer: a remote model and a remote FraudCount give the embedded run's alerts and counts") {
  const std::string url = peer_url();
  const RunOutcome embedded = run_recording_alerts(make_scenario(settings({})));
  for (const std::vector<std::string>& endpoints :
       {std::vector<std::string>{"endpoints.com.ververica.ds/model=" + url},
        std::vector<std::string>{"endpoints.com.ververica.fn/counter=" + url},
        std::vector<std::string>{"endpoints.com.ververica.ds/model=" + url,
                                 "endpoints.com.ververica.fn/counter=" + url}}) {
    CAPTURE(endpoints.size());
    check_same_alerts_and_counts(embedded, run_recording_alerts(make_scenario(settings(endpoints))));
  }
}

TEST_CASE("js peer: a remote model that knows only the workshop's three features still works with more") {
  // The peer's model reads count, score and amount; the merchant and the time since the latest
  // fraud come along in the JSON and are left alone.
  const std::string url = peer_url();
  const std::vector<std::string> extra{"model.extra_features=merchant, since_fraud"};
  std::vector<std::string> remote = extra;
  remote.push_back("endpoints.com.ververica.ds/model=" + url);
  const RunOutcome embedded = run_recording_alerts(make_scenario(settings(extra)));
  REQUIRE(embedded.alerts.size() > 0);
  check_same_alerts_and_counts(embedded, run_recording_alerts(make_scenario(settings(remote))));
}

TEST_CASE("js peer: a remote run twice gives the same fingerprint") {
  const std::string url = peer_url();
  const Scenario scenario = make_scenario(settings(
      {"endpoints.com.ververica.ds/model=" + url, "endpoints.com.ververica.fn/counter=" + url}));
  CHECK(run_recording_alerts(scenario).report.fingerprint ==
        run_recording_alerts(scenario).report.fingerprint);
}

TEST_CASE("js peer: the model changed and redeployed mid-run, with fraudsim restarting the peer") {
  // Exercise 2 in the JavaScript model: fraudsim starts the peer, and at the restart replaces it
  // with one that never scores a transaction over 1000 USD as fraud.
  const int port = unused_port();
  const std::string peer = "node " + peer_directory() + "/peer.js --window-ms 120000 --port " + std::to_string(port);
  const Scenario scenario = make_scenario(settings(
      {"endpoints.com.ververica.ds/model=http://127.0.0.1:" + std::to_string(port) + "/statefun",
       "model.server=" + peer, "model.server_after_restart=" + peer + " --never-above 1000",
       "faults.model_restarts=2min+10s"}));
  constexpr sim::Time kRedeployed = 2 * sim::kMinute + 10 * sim::kSecond;
  std::size_t above_before = 0, after = 0, above_after = 0;
  RunHooks hooks;
  hooks.on_alert = [&](sim::Time now, const workshop::Transaction& t) {
    if (now < kRedeployed) {
      above_before += t.amount() > 1000;
    } else {
      ++after;
      above_after += t.amount() > 1000;
    }
  };
  const RunReport report = run_pipeline(scenario, hooks);
  CHECK_FALSE(report.failure);
  REQUIRE(report.model_server);
  CHECK(report.model_server->starts == 2);
  CHECK(report.model_server->refused_while_down > 0);
  CHECK(above_before > 100);
  CHECK(after > 0);
  CHECK(above_after == 0);
}

}  // namespace
}  // namespace fraudsim::testing
