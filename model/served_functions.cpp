#include "model/served_functions.h"

namespace fraudsim {

namespace {

std::vector<sim::remote::HostedState*> views(
    const std::vector<std::unique_ptr<sim::remote::HostedState>>& states) {
  std::vector<sim::remote::HostedState*> out;
  for (const auto& state : states) out.push_back(state.get());
  return out;
}

}  // namespace

ServedFunctions::ServedFunctions(const Scenario& scenario)
    : host_(conventions_),
      // Egress is captured by the host, so the alerts egress needs no sink.
      types_(declare_pipeline_types(host_.runtime(), nullptr)),
      functions_(scenario, types_, null_observer()) {
  sim::Runtime& runtime = host_.runtime();
  runtime.bind(types_.transaction_manager, &functions_.manager);
  runtime.bind(types_.fraud_count, &functions_.fraud_count);
  runtime.bind(types_.merchant, &functions_.merchant);
  runtime.bind(types_.model, &functions_.model());

  auto manager_states = functions_.manager.hosted_states();
  host_.host(types_.transaction_manager, views(manager_states));
  auto count_states = functions_.fraud_count.hosted_states();
  host_.host(types_.fraud_count, views(count_states));
  auto merchant_states = functions_.merchant.hosted_states();
  host_.host(types_.merchant, views(merchant_states));
  host_.host(types_.model, {});
  for (auto* list : {&manager_states, &count_states, &merchant_states}) {
    for (auto& state : *list) states_.push_back(std::move(state));
  }
}

std::string ServedFunctions::handle(std::string_view request) {
  std::lock_guard lock(mutex_);
  return host_.handle(request);
}

std::vector<std::string> ServedFunctions::served_types() const {
  return {conventions_.wire_type(kTransactionManagerType), conventions_.wire_type(kFraudCountType),
          conventions_.wire_type(kMerchantType), conventions_.wire_type(kModelType)};
}

}  // namespace fraudsim
