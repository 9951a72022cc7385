#pragma once
// The workshop's four functions configured by a scenario: a run embeds them, `fraudsim serve`
// hosts them for a StateFun runtime.
#include "model/fraud_count.h"
#include "model/merchant_function.h"
#include "model/merchant_service.h"
#include "model/observer.h"
#include "model/pipeline_types.h"
#include "model/scenario.h"
#include "model/transaction_manager.h"
#include "model/weighted_model.h"
#include "model/workshop_model.h"

namespace fraudsim {

struct PipelineFunctions {
  PipelineFunctions(const Scenario& scenario, const PipelineTypes& types,
                    PipelineObserver& observer);
  PipelineFunctions(const PipelineFunctions&) = delete;
  PipelineFunctions& operator=(const PipelineFunctions&) = delete;

  // The scenario's model (model.kind).
  sim::StatefulFunction& model() { return *chosen_model; }

  MerchantService service;
  TransactionManager manager;
  FraudCount fraud_count;
  MerchantFunction merchant;
  WorkshopModel workshop_model;
  WeightedModel weighted_model;
  sim::StatefulFunction* chosen_model;
};

}  // namespace fraudsim
