#pragma once
// The workshop's function types and egress, as the runtime knows them.
#include <string_view>

#include "sim/runtime.h"

namespace fraudsim {

// Names of the seed (Java) edition, namespace "ververica".
inline constexpr std::string_view kTransactionManagerType = "ververica/transaction-manager";
inline constexpr std::string_view kFraudCountType = "ververica/fraud-count";
inline constexpr std::string_view kMerchantType = "ververica/merchant";
inline constexpr std::string_view kModelType = "ververica/model";
inline constexpr std::string_view kAlertsEgress = "alerts";

struct PipelineTypes {
  sim::TypeId transaction_manager;
  sim::TypeId fraud_count;
  sim::TypeId merchant;
  sim::TypeId model;
  sim::EgressId alerts;
};

// Declares the four types in the runtime and binds the alerts egress to `alerts`.
PipelineTypes declare_pipeline_types(sim::Runtime& runtime, sim::EgressSink* alerts);

}  // namespace fraudsim
