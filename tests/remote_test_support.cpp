#include "tests/remote_test_support.h"

#include <stdexcept>

#include <doctest/doctest.h>

namespace fraudsim::testing {

sim::remote::TypedValue IdentityConventions::encode(const sim::Message& message) const {
  const auto* value = sim::message_as<sim::remote::TypedValue>(*message);
  if (value == nullptr) throw std::invalid_argument("not a TypedValue");
  return *value;
}

sim::Message IdentityConventions::decode(const sim::remote::TypedValue& value, std::string_view,
                                         std::string_view) const {
  if (value.typename_() == "test/unreadable") throw std::invalid_argument("unreadable on purpose");
  return sim::make_message(sim::remote::TypedValue(value));
}

std::pair<std::string, sim::Message> IdentityConventions::decode_egress(
    std::string_view egress, const sim::remote::TypedValue& argument, const sim::Address&) const {
  if (egress != "io/out") throw std::invalid_argument("no such egress");
  return {"out", decode(argument, "", "")};
}

std::pair<std::string, sim::remote::TypedValue> IdentityConventions::encode_egress(
    std::string_view, const sim::Message& message) const {
  return {"io/out", encode(message)};
}

sim::remote::Transport::Ticket ScriptedTransport::post(const std::string& url, std::string body) {
  rr::ToFunction request;
  if (!request.ParseFromString(body)) throw std::logic_error("the runtime sent an unreadable request");
  requests.push_back(request);
  urls.push_back(url);
  if (answer_for) {
    answers_.push_back(answer_for(request));
  } else if (!script.empty()) {
    answers_.push_back(script.front());
    script.pop_front();
  } else {
    answers_.push_back(ok(rr::FromFunction{}));
  }
  return answers_.size() - 1;
}

sim::remote::HttpAnswer ScriptedTransport::await(Ticket ticket) { return answers_.at(ticket); }

sim::remote::HttpAnswer ok(const rr::FromFunction& response) {
  return sim::remote::HttpAnswer{200, "", response.SerializeAsString()};
}

sim::remote::HttpAnswer status(int code) {
  return sim::remote::HttpAnswer{code, code == 0 ? "connection refused" : "", ""};
}

RunOutcome run_recording_alerts(const Scenario& scenario, sim::remote::Transport* transport) {
  RunOutcome outcome;
  RunHooks hooks;
  hooks.transport = transport;
  hooks.on_alert = [&](sim::Time now, const workshop::Transaction& t) {
    outcome.alerts.emplace_back(now, t.id());
  };
  outcome.report = run_pipeline(scenario, hooks);
  return outcome;
}

void check_same_alerts_and_counts(const RunOutcome& expected, const RunOutcome& actual) {
  REQUIRE_MESSAGE(!actual.report.failure, actual.report.failure->cause);
  CHECK(expected.alerts.size() > 100);
  CHECK(actual.alerts == expected.alerts);
  const Counts& a = expected.report.metrics.totals();
  const Counts& b = actual.report.metrics.totals();
  CHECK(b.transactions == a.transactions);
  CHECK(b.decisions == a.decisions);
  CHECK(b.alerts == a.alerts);
  CHECK(b.confirmations == a.confirmations);
  CHECK(actual.report.metrics.decision_latency().count() ==
        expected.report.metrics.decision_latency().count());
}

RunningServer::RunningServer(const Scenario& scenario)
    : functions_(scenario), server_(functions_, log), port_(server_.bind("127.0.0.1", 0)),
      thread_([this] { server_.run(); }) {}

RunningServer::~RunningServer() {
  server_.stop();
  thread_.join();
}

}  // namespace fraudsim::testing
