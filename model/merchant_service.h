#pragma once
// The external merchant-score service the MerchantFunction calls asynchronously. Each attempt's
// latency, outcome and score are drawn from a keyed stream, so the same attempt of the same query
// behaves the same in every configuration of a comparison. Outages, fixed or from a random on/off
// process, make attempts fail fast or hang.
#include <vector>

#include "model/latency.h"
#include "model/windows.h"
#include "sim/random.h"
#include "sim/runtime.h"

namespace fraudsim {

enum class OutageMode { kFailFast, kHang };

struct MerchantServiceSettings {
  LatencyModel latency = LatencyModel::uniform(0, 5000 * sim::kMillisecond);
  double failure_probability = 0.5;
  double unknown_probability = 0.0;  // "unknown" results, as after a failover
  int score_max = 100;               // score uniform in [0, score_max)
  std::vector<Window> outages;       // fixed outage windows
  double outage_rate = 0;            // random outages per second (0: none)
  sim::Time outage_length = 5 * sim::kMinute;  // mean length of a random outage
  OutageMode outage_mode = OutageMode::kFailFast;
  sim::Time refused_latency = sim::kMillisecond;  // how soon a request to a down service fails
};

class MerchantService {
 public:
  MerchantService(const MerchantServiceSettings& settings, std::uint64_t seed);
  // The outcome of attempt `try_number` (0-based, counting every attempt) of the query `query_key`,
  // sent at `start`. The outcome's delay counts from `start`.
  sim::AsyncOutcome attempt(sim::Time start, std::uint64_t query_key, int try_number) const;
  // Outage windows that began at or before t.
  std::size_t outages_started_by(sim::Time t) const;

 private:
  // When an outage cuts a request from `start` taking `latency`: start if it starts in one, the
  // outage's start if one begins before the answer, else kNever.
  sim::Time outage_cut(sim::Time start, sim::Time latency) const;

  MerchantServiceSettings settings_;
  sim::StreamKey stream_;
  // Generated lazily as attempts ask about later times; the windows depend on the seed alone.
  mutable OnOffProcess random_outages_;
};

}  // namespace fraudsim
