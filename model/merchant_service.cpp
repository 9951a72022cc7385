#include "model/merchant_service.h"

#include <algorithm>

#include "model/messages.pb.h"

namespace fraudsim {

MerchantService::MerchantService(const MerchantServiceSettings& settings, std::uint64_t seed)
    : settings_(settings),
      stream_(sim::make_stream(seed, "merchant")),
      random_outages_(sim::make_stream(seed, "merchant.outages"), settings.outage_rate,
                      settings.outage_length) {}

sim::Time MerchantService::outage_cut(sim::Time start, sim::Time latency) const {
  sim::Time cut = cut_by(settings_.outages, start, latency);
  if (settings_.outage_rate > 0) {
    if (const Window* w = random_outages_.window_at_or_after(start)) {
      if (w->covers(start)) {
        cut = start;
      } else if (latency == sim::kNever || start + latency > w->start) {
        cut = std::min(cut, w->start);
      }
    }
  }
  return cut;
}

sim::AsyncOutcome MerchantService::attempt(sim::Time start, std::uint64_t query_key,
                                           int try_number) const {
  sim::Rng rng(stream_, sim::combine_keys(query_key, static_cast<std::uint64_t>(try_number)));
  // Always the same draws in the same order, whatever the settings, so that changing one
  // probability does not shift the others.
  const sim::Time latency = settings_.latency.draw(rng);
  const double outcome = sim::uniform_real(rng);
  const auto score = static_cast<int>(sim::uniform_int(rng, 0, settings_.score_max));

  sim::AsyncOutcome result;
  const sim::Time cut = outage_cut(start, latency);
  if (cut != sim::kNever) {
    result.status = sim::AsyncStatus::kFailure;
    if (settings_.outage_mode == OutageMode::kHang) {
      result.delay = sim::kNever;
    } else {
      result.delay = cut == start ? settings_.refused_latency : cut - start;
    }
    return result;
  }
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

std::size_t MerchantService::outages_started_by(sim::Time t) const {
  std::size_t fixed = 0;
  for (const Window& w : settings_.outages) fixed += w.start <= t ? 1 : 0;
  return fixed + (settings_.outage_rate > 0 ? random_outages_.started_by(t) : 0);
}

}  // namespace fraudsim
