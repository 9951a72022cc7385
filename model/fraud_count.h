#pragma once
// FraudCount, one instance per account: the number of confirmed frauds in the last `window`.
// Each ConfirmFraud adds one and sends itself an ExpireFraud after exactly `window`; QueryFraud
// replies with the count. By default the count is kept correct: never below zero, and the state is
// removed when it reaches zero. With `reproduce_expire_defect` it behaves like the workshop's code,
// whose ExpireFraud clears a count of 0 or 1 and then stores count - 1 anyway (so 0 stays stored
// and a missing count becomes -1). With `report_last_confirmed` (the since_fraud feature is asked
// for) it also keeps the time of the most recent ConfirmFraud, which its reply carries, and
// forgets it when the window empties (the count reaches zero).
#include <memory>
#include <vector>

#include "model/pipeline_types.h"
#include "sim/remote/hosted_state.h"
#include "sim/runtime.h"

namespace fraudsim {

class FraudCount : public sim::StatefulFunction {
 public:
  FraudCount(sim::TypeId self_type, sim::Time window, bool reproduce_expire_defect,
             bool report_last_confirmed = false);
  void invoke(sim::Context& context, const sim::Message& message) override;
  // Its persisted value as a served function declares it: "fraud_count", an int.
  std::vector<std::unique_ptr<sim::remote::HostedState>> hosted_states();

 private:
  void expire(sim::Context& context);

  sim::TypeId self_type_;
  sim::Time window_;
  bool reproduce_expire_defect_;
  bool report_last_confirmed_;
  sim::PersistedValue<int> count_{"fraud_count"};
  // Not a served state: over the wire the reply is the count alone, and a served function has no
  // clock to stamp it with.
  sim::PersistedValue<sim::Time> last_confirmed_{"last_confirmed"};
};

}  // namespace fraudsim
