#include "model/model_endpoint.h"

namespace fraudsim {

sim::CallAttempt ModelEndpoint::attempt(sim::Time now, const sim::Address&, std::uint64_t call,
                                        int attempt, std::size_t) {
  sim::Rng rng(stream_, sim::combine_keys(call, static_cast<std::uint64_t>(attempt)));
  const sim::Time latency = settings_.latency.draw(rng);
  const sim::Time cut = cut_by(settings_.restarts, now, latency);
  if (cut == now) return {settings_.refused_latency, false, "connection refused (model restarting)"};
  if (cut != sim::kNever) return {cut - now, false, "connection reset (model restarted)"};
  return {latency, true, {}};
}

}  // namespace fraudsim
