#include "model/served_transport.h"

namespace fraudsim {

sim::remote::Transport::Ticket ServedTransport::post(const std::string&, std::string body) {
  ++requests;
  sim::remote::HttpAnswer answer;
  try {
    answer.status = 200;
    answer.body = functions_.handle(body);
  } catch (const std::exception&) {
    answer = sim::remote::HttpAnswer{500, "", ""};
  }
  const Ticket ticket = next_ticket_++;
  answers_.emplace(ticket, std::move(answer));
  return ticket;
}

sim::remote::HttpAnswer ServedTransport::await(Ticket ticket) {
  auto it = answers_.find(ticket);
  sim::remote::HttpAnswer answer = std::move(it->second);
  answers_.erase(it);
  return answer;
}

RunReport run_with_served_endpoints(const Scenario& scenario, RunHooks hooks) {
  // A scenario that runs its model's server runs against it for real.
  if (scenario.endpoints.empty() || scenario.model_server.enabled()) {
    return run_pipeline(scenario, hooks);
  }
  ServedFunctions functions(scenario);
  ServedTransport transport(functions);
  hooks.transport = &transport;
  return run_pipeline(scenario, hooks);
}

}  // namespace fraudsim
