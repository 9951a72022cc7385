#include "model/merchant_service.h"

#include "model/messages.pb.h"

namespace fraudsim {

MerchantService::MerchantService(const MerchantServiceSettings& settings, sim::StreamKey stream)
    : settings_(settings), stream_(stream) {}

sim::AsyncOutcome MerchantService::attempt(std::uint64_t query_key, int try_number) const {
  sim::Rng rng(stream_, sim::combine_keys(query_key, static_cast<std::uint64_t>(try_number)));
  // Always the same draws in the same order, whatever the settings, so that changing one
  // probability does not shift the others.
  const sim::Time latency =
      settings_.latency_max > 0 ? sim::uniform_int(rng, 0, settings_.latency_max) : 0;
  const double outcome = sim::uniform_real(rng);
  const auto score = static_cast<int>(sim::uniform_int(rng, 0, settings_.score_max));

  sim::AsyncOutcome result;
  result.delay = latency;
  if (outcome < settings_.unknown_probability) {
    result.status = sim::AsyncStatus::kUnknown;
  } else if (outcome < settings_.unknown_probability + settings_.failure_probability) {
    result.status = sim::AsyncStatus::kFailure;
  } else {
    result.status = sim::AsyncStatus::kSuccess;
    workshop::MerchantScore value;
    value.set_score(score);
    result.value = sim::make_message(std::move(value));
  }
  return result;
}

}  // namespace fraudsim
