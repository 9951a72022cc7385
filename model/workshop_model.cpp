#include "model/workshop_model.h"

#include <algorithm>

#include "model/messages.pb.h"

namespace fraudsim {

int WorkshopModel::score(sim::Rng& rng, int fraud_count) {
  const int low = std::min(fraud_count, 99);  // as the workshop: a negative count (the defect) lowers it
  return static_cast<int>(sim::uniform_int(rng, low, 100));
}

void WorkshopModel::invoke(sim::Context& context, const sim::Message& message) {
  const auto* features = sim::message_as<workshop::FeatureVector>(message);
  if (features == nullptr || !context.has_caller()) return;
  sim::Rng rng(stream_, sim::entity_key(context.caller().id));
  workshop::FraudScore reply;
  reply.set_score(apply_score_rules(rules_, *features, score(rng, features->fraud_count())));
  context.reply(sim::make_message(std::move(reply)));
}

}  // namespace fraudsim
