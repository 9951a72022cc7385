#pragma once
// Pieces for testing the request-reply machinery without HTTP: conventions whose runtime messages
// are TypedValues themselves, a transport that answers from a script and records each request,
// and a transport that hands requests to fraudsim's served functions in process.
#include <deque>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "model/pipeline.h"
#include "model/served_functions.h"
#include "model/served_transport.h"
#include "sim/remote/conventions.h"
#include "sim/remote/transport.h"
#include "src/function_server.h"

namespace fraudsim::testing {

namespace rr = io::statefun::sdk::reqreply;

// Runtime messages are TypedValues; type names are the same on the wire; egress "out" is "io/out".
class IdentityConventions : public sim::remote::WireConventions {
 public:
  std::string wire_type(std::string_view type) const override { return std::string(type); }
  std::string runtime_type(std::string_view type) const override { return std::string(type); }
  sim::remote::TypedValue encode(const sim::Message& message) const override;
  sim::Message decode(const sim::remote::TypedValue& value, std::string_view,
                      std::string_view) const override;
  std::pair<std::string, sim::Message> decode_egress(
      std::string_view egress, const sim::remote::TypedValue& argument,
      const sim::Address& sender) const override;
  std::pair<std::string, sim::remote::TypedValue> encode_egress(
      std::string_view egress, const sim::Message& message) const override;
};

// Answers each request with the next scripted answer (or with `answer_for`, when set), and keeps
// every request it was sent.
class ScriptedTransport : public sim::remote::Transport {
 public:
  Ticket post(const std::string& url, std::string body) override;
  sim::remote::HttpAnswer await(Ticket ticket) override;

  std::deque<sim::remote::HttpAnswer> script;
  std::function<sim::remote::HttpAnswer(const rr::ToFunction&)> answer_for;
  std::vector<rr::ToFunction> requests;
  std::vector<std::string> urls;

 private:
  std::vector<sim::remote::HttpAnswer> answers_;
};

sim::remote::HttpAnswer ok(const rr::FromFunction& response);
sim::remote::HttpAnswer status(int code);

// A whole run, with every alert as (time, transaction id).
struct RunOutcome {
  RunReport report;
  std::vector<std::pair<sim::Time, std::uint64_t>> alerts;
};
RunOutcome run_recording_alerts(const Scenario& scenario, sim::remote::Transport* transport = nullptr);
// Checks that `actual` ran without a job failure and has the alerts (time and transaction) and
// the counts of `expected`, which has enough alerts to mean something.
void check_same_alerts_and_counts(const RunOutcome& expected, const RunOutcome& actual);

// `fraudsim serve`'s server for a scenario, in process on a free port of 127.0.0.1, serving until
// destroyed; what it logs is in `log`.
class RunningServer {
 public:
  explicit RunningServer(const Scenario& scenario);
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/statefun"; }
  int port() const { return port_; }
  std::ostringstream log;

 private:
  ServedFunctions functions_;
  FunctionServer server_;
  int port_;
  std::thread thread_;
};

}  // namespace fraudsim::testing
