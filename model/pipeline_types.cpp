#include "model/pipeline_types.h"

#include "model/observer.h"

namespace fraudsim {

PipelineTypes declare_pipeline_types(sim::Runtime& runtime, sim::EgressSink* alerts) {
  PipelineTypes types{};
  types.transaction_manager = runtime.declare_type(kTransactionManagerType);
  types.fraud_count = runtime.declare_type(kFraudCountType);
  types.merchant = runtime.declare_type(kMerchantType);
  types.model = runtime.declare_type(kModelType);
  types.alerts = runtime.bind_egress(std::string(kAlertsEgress), alerts);
  return types;
}

PipelineObserver& null_observer() {
  static PipelineObserver observer;
  return observer;
}

}  // namespace fraudsim
