#pragma once
// Sees the decisions of a remote transaction manager: wraps its RemoteFunction and, for every
// answered batch, tells the metrics of each model score the manager received (the moment the
// embedded manager decides). Calls pass through unchanged.
#include "model/metrics.h"
#include "sim/runtime.h"

namespace fraudsim {

class DecisionWitness : public sim::CallHandler {
 public:
  DecisionWitness(sim::CallHandler& manager, Metrics& metrics) : manager_(manager), metrics_(metrics) {}

  void send(sim::Runtime& runtime, sim::AddressRef target,
            std::span<const sim::CallMessage> batch) override {
    manager_.send(runtime, target, batch);
  }
  sim::CallOutcome receive(sim::Context& context, std::span<const sim::CallMessage> batch) override;

 private:
  sim::CallHandler& manager_;
  Metrics& metrics_;
};

}  // namespace fraudsim
