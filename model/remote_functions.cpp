#include "model/remote_functions.h"

#include "model/pipeline_types.h"
#include "sim/remote/http_transport.h"

namespace fraudsim {

RemoteFunctions::RemoteFunctions(const Scenario& scenario, sim::remote::Transport* transport) {
  for (std::string_view type : {kTransactionManagerType, kFraudCountType, kMerchantType, kModelType}) {
    const auto url = endpoint_for(scenario.endpoints, type);
    if (!url) continue;
    if (transport == nullptr) {
      sim::remote::HttpTransportOptions options;
      options.connections = scenario.remote_connections;
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
