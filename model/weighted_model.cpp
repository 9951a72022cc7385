#include "model/weighted_model.h"

#include <algorithm>
#include <cmath>

namespace fraudsim {

int WeightedModel::score(const ModelWeights& w, const workshop::FeatureVector& features) {
  const double merchant = features.has_merchant_score()
                              ? static_cast<double>(features.merchant_score())
                              : w.missing_merchant;
  double raw = w.bias + w.count * features.fraud_count() + w.merchant * merchant +
               w.amount * features.amount();
  if (features.has_since_fraud()) {
    raw += w.since_fraud * static_cast<double>(features.since_fraud()) / static_cast<double>(sim::kDay);
  }
  return static_cast<int>(std::clamp<long long>(std::llround(raw), 0, 100));
}

void WeightedModel::invoke(sim::Context& context, const sim::Message& message) {
  const auto* features = sim::message_as<workshop::FeatureVector>(message);
  if (features == nullptr || !context.has_caller()) return;
  workshop::FraudScore reply;
  reply.set_score(apply_score_rules(rules_, *features, score(weights_, *features)));
  context.reply(sim::make_message(std::move(reply)));
}

}  // namespace fraudsim
