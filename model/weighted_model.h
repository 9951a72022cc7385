#pragma once
// A deterministic model: the score is a weighted sum of the features, rounded and clamped to
// [0, 100]. No randomness, so a remote implementation of the same formula gives the same scores
// and runs with an embedded and a remote model can be checked for equal results.
//   score = bias + count * fraud_count + merchant * merchant_score + amount * amount
//           + since_fraud * days since the account's most recent confirmed fraud
// where a missing merchant score (the service answered with an error) counts as `missing_merchant`
// and the last term is left out when no confirmed fraud is in the window. Then the score rules
// (model.rules) apply, in order.
#include "model/messages.pb.h"
#include "model/score_rules.h"
#include "sim/runtime.h"

namespace fraudsim {

struct ModelWeights {
  double bias = 0;
  double count = 10;
  double merchant = 0.5;
  double amount = 0.0005;
  double missing_merchant = 50;  // the merchant score assumed when the service gave none
  double since_fraud = 0;        // per day since the most recent confirmed fraud
};

class WeightedModel : public sim::StatefulFunction {
 public:
  WeightedModel(const ModelWeights& weights, ScoreRules rules)
      : weights_(weights), rules_(std::move(rules)) {}
  void invoke(sim::Context& context, const sim::Message& message) override;

  static int score(const ModelWeights& weights, const workshop::FeatureVector& features);

 private:
  ModelWeights weights_;
  ScoreRules rules_;
};

}  // namespace fraudsim
