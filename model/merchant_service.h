#pragma once
// The external merchant-score service the MerchantFunction calls asynchronously. Each attempt's
// latency, outcome and score are drawn from a keyed stream, so the same attempt of the same query
// behaves the same in every configuration of a comparison.
#include <string_view>

#include "sim/random.h"
#include "sim/runtime.h"

namespace fraudsim {

struct MerchantServiceSettings {
  sim::Time latency_max = 5000 * sim::kMillisecond;  // latency uniform in [0, latency_max)
  double failure_probability = 0.5;
  double unknown_probability = 0.0;  // "unknown" results, as after a failover
  int score_max = 100;               // score uniform in [0, score_max)
};

class MerchantService {
 public:
  MerchantService(const MerchantServiceSettings& settings, sim::StreamKey stream);
  // The outcome of attempt `try_number` (0-based, counting every attempt) of the query `query_key`.
  sim::AsyncOutcome attempt(std::uint64_t query_key, int try_number) const;

 private:
  MerchantServiceSettings settings_;
  sim::StreamKey stream_;
};

}  // namespace fraudsim
