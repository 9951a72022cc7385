#pragma once
// A transport that hands each request straight to fraudsim's own served functions, in process, as
// `fraudsim serve` would over HTTP (a request they cannot handle: HTTP 500). For running scenarios
// with endpoints without a network: the project's own checks and tests.
#include <unordered_map>

#include "model/pipeline.h"
#include "model/served_functions.h"
#include "sim/remote/transport.h"

namespace fraudsim {

class ServedTransport : public sim::remote::Transport {
 public:
  explicit ServedTransport(ServedFunctions& functions) : functions_(functions) {}
  Ticket post(const std::string& url, std::string body) override;
  sim::remote::HttpAnswer await(Ticket ticket) override;
  std::size_t requests = 0;

 private:
  ServedFunctions& functions_;
  Ticket next_ticket_ = 0;
  std::unordered_map<Ticket, sim::remote::HttpAnswer> answers_;  // looked up, never iterated
};

// Runs a scenario with its endpoints, if any, answered by fraudsim's own functions in process
// (hooks.transport is set here); one that names its model's server (model.server) runs against
// that server, over HTTP.
RunReport run_with_served_endpoints(const Scenario& scenario, RunHooks hooks);

}  // namespace fraudsim
