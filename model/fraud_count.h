#pragma once
// FraudCount, one instance per account: the number of confirmed frauds in the last `window`.
// Each ConfirmFraud adds one and sends itself an ExpireFraud after exactly `window`; QueryFraud
// replies with the count. By default the count is kept correct: never below zero, and the state is
// removed when it reaches zero. With `reproduce_expire_defect` it behaves like the workshop's code,
// whose ExpireFraud clears a count of 0 or 1 and then stores count - 1 anyway (so 0 stays stored
// and a missing count becomes -1).
#include <memory>
#include <vector>

#include "model/pipeline_types.h"
#include "sim/remote/hosted_state.h"
#include "sim/runtime.h"

namespace fraudsim {

class FraudCount : public sim::StatefulFunction {
 public:
  FraudCount(sim::TypeId self_type, sim::Time window, bool reproduce_expire_defect);
  void invoke(sim::Context& context, const sim::Message& message) override;
  // Its persisted value as a served function declares it: "fraud_count", an int.
  std::vector<std::unique_ptr<sim::remote::HostedState>> hosted_states();

 private:
  void expire(sim::Context& context);

  sim::TypeId self_type_;
  sim::Time window_;
  bool reproduce_expire_defect_;
  sim::PersistedValue<int> count_{"fraud_count"};
};

}  // namespace fraudsim
