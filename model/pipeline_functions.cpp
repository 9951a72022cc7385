#include "model/pipeline_functions.h"

namespace fraudsim {

PipelineFunctions::PipelineFunctions(const Scenario& scenario, const PipelineTypes& types,
                                     PipelineObserver& observer)
    : service(scenario.merchant, scenario.seed),
      manager(types, scenario.model.threshold, observer),
      fraud_count(types.fraud_count, scenario.fraud.window, scenario.fraud.reproduce_expire_defect),
      merchant(service, scenario.merchant_retry, sim::make_stream(scenario.seed, "merchant.backoff"),
               observer, scenario.merchant_cache),
      workshop_model(sim::make_stream(scenario.seed, "model")),
      weighted_model(scenario.model.weights),
      chosen_model(scenario.model.kind == ModelKind::kWorkshop
                       ? static_cast<sim::StatefulFunction*>(&workshop_model)
                       : &weighted_model) {}

}  // namespace fraudsim
