#include "model/remote_functions.h"

#include <fmt/format.h>

#include "model/pipeline_types.h"
#include "sim/remote/http_transport.h"
#include "sim/remote/http_url.h"
#include "sim/settings.h"

namespace fraudsim {

RemoteFunctions::RemoteFunctions(const Scenario& scenario, sim::remote::Transport* transport,
                                 std::function<void()> while_waiting) {
  const bool over_http = transport == nullptr;
  for (std::string_view type : {kTransactionManagerType, kFraudCountType, kMerchantType, kModelType}) {
    const auto url = endpoint_for(scenario.endpoints, type);
    if (!url) continue;
    if (over_http) {
      try {
        sim::remote::check_host_resolves(sim::remote::parse_http_url(*url));
      } catch (const std::invalid_argument& e) {
        // Named as the user wrote it: where, which pattern, which URL.
        const EndpointRule& rule = *endpoint_rule_for(scenario.endpoints, type);
        throw sim::InputError(
            fmt::format("{}: endpoint '{}' = '{}': {}", rule.origin, rule.pattern, *url, e.what()));
      }
    }
    if (transport == nullptr && !own_transport_) {
      sim::remote::HttpTransportOptions options;
      options.connections = scenario.remote_connections;
      options.read_timeout = scenario.remote_wall_timeout;
      options.while_waiting = while_waiting;
      own_transport_ = std::make_unique<sim::remote::HttpTransport>(options);
      transport = own_transport_.get();
    }
    handlers_.emplace(std::string(type),
                      std::make_unique<sim::remote::RemoteFunction>(*url, conventions_, *transport));
  }
}

RemoteFunctions::~RemoteFunctions() = default;

sim::remote::RemoteFunction* RemoteFunctions::handler_for(std::string_view function_type) const {
  auto it = handlers_.find(function_type);
  return it == handlers_.end() ? nullptr : it->second.get();
}

}  // namespace fraudsim
