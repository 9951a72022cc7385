#include "model/pipeline_functions.h"

namespace fraudsim {

PipelineFunctions::PipelineFunctions(const Scenario& scenario, const PipelineTypes& types,
                                     PipelineObserver& observer)
    : service(scenario.merchant, scenario.seed),
      manager(types, scenario.model.threshold,
              ExtraFeatures{scenario.model.feature_merchant, scenario.model.feature_since_fraud},
              observer),
      fraud_count(types.fraud_count, scenario.fraud.window, scenario.fraud.reproduce_expire_defect,
                  scenario.model.feature_since_fraud),
      merchant(service, scenario.merchant_retry, sim::make_stream(scenario.seed, "merchant.backoff"),
               observer, scenario.merchant_cache),
      workshop_model(sim::make_stream(scenario.seed, "model"), scenario.model.rules),
      weighted_model(scenario.model.weights, scenario.model.rules),
      chosen_model(scenario.model.kind == ModelKind::kWorkshop
                       ? static_cast<sim::StatefulFunction*>(&workshop_model)
                       : &weighted_model) {}

}  // namespace fraudsim
