#include "model/decision_witness.h"

#include <charconv>

#include "model/messages.pb.h"

namespace fraudsim {

sim::CallOutcome DecisionWitness::receive(sim::Context& context,
                                          std::span<const sim::CallMessage> batch) {
  sim::CallOutcome outcome = manager_.receive(context, batch);
  if (outcome.kind != sim::CallOutcome::Kind::kHandled) return outcome;
  // Transaction managers are addressed by the transaction id.
  const std::string& id = context.self_id();
  std::uint64_t transaction = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), transaction);
  if (error != std::errc() || end != id.data() + id.size()) return outcome;
  for (const sim::CallMessage& m : batch) {
    if (const auto* score = sim::message_as<workshop::FraudScore>(m.message)) {
      metrics_.on_score_delivered(context.now(), transaction, score->score());
    }
  }
  return outcome;
}

}  // namespace fraudsim
