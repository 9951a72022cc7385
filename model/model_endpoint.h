#pragma once
// The network between the runtime and the model, as the runtime's call semantics see it: each
// call attempt takes a latency drawn per (call, attempt); during a restart window the model
// refuses connections, and a restart cuts the attempts in flight when it begins.
#include <vector>

#include "model/latency.h"
#include "model/windows.h"
#include "sim/random.h"
#include "sim/runtime.h"

namespace fraudsim {

struct ModelCallSettings {
  LatencyModel latency = LatencyModel::fixed(sim::kMillisecond);
  std::vector<Window> restarts;
  sim::Time refused_latency = sim::kMillisecond;  // how soon a refused connection fails
  sim::CallPolicy policy;                          // StateFun's defaults
};

class ModelEndpoint : public sim::CallEndpoint {
 public:
  ModelEndpoint(const ModelCallSettings& settings, sim::StreamKey stream)
      : settings_(settings), stream_(stream) {}
  sim::CallAttempt attempt(sim::Time now, const sim::Address& target, std::uint64_t call,
                           int attempt, std::size_t batch_size) override;

 private:
  ModelCallSettings settings_;
  sim::StreamKey stream_;
};

}  // namespace fraudsim
