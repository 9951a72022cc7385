#pragma once
// The workshop's model, embedded: score = uniform integer in [min(fraud_count, 99), 100), so
// accounts with confirmed fraud score higher. Unlike the workshop's unseeded Python, the draw is
// keyed by the transaction (the caller's id), so a run is reproducible and two configurations
// being compared score the same transaction alike.
#include "model/score_rules.h"
#include "sim/random.h"
#include "sim/runtime.h"

namespace fraudsim {

class WorkshopModel : public sim::StatefulFunction {
 public:
  // The score rules (model.rules) apply to each score drawn.
  WorkshopModel(sim::StreamKey stream, ScoreRules rules) : stream_(stream), rules_(std::move(rules)) {}
  void invoke(sim::Context& context, const sim::Message& message) override;

  // The score for a fraud count, drawn from `rng`.
  static int score(sim::Rng& rng, int fraud_count);

 private:
  sim::StreamKey stream_;
  ScoreRules rules_;
};

}  // namespace fraudsim
