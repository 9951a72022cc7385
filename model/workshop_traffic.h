#pragma once
// The workshop's generator: `rate` transactions per second, evenly spaced; merchants cycled in
// order through the 3,375 names; account "0x%08X" of a uniform integer in [0x100000, 0x1000000);
// amount uniform in [0, 100000). Confirmations: a share of alerts (5%) is fed back as a
// ConfirmFraud for the alerted account, through an ingress limited to `confirm_limit` per second.
// The generator knows no ground truth: its transactions carry TRUTH_UNKNOWN.
#include <deque>
#include <string>

#include "model/traffic.h"
#include "sim/random.h"

namespace fraudsim {

class WorkshopTraffic : public TrafficSource {
 public:
  WorkshopTraffic(const Scenario& scenario, Ingress& ingress);
  void start(sim::Runtime& runtime) override;
  void on_alert(sim::Runtime& runtime, const workshop::Transaction& alert) override;

  // When transaction k (0-based) arrives.
  sim::Time arrival_time(std::uint64_t k) const;

 private:
  void emit(sim::Runtime& runtime, std::uint64_t k);
  void confirm_next(sim::Runtime& runtime);

  Ingress& ingress_;
  double rate_;
  double alert_confirm_share_;
  sim::Time confirm_spacing_;
  sim::StreamKey transactions_stream_;
  sim::StreamKey feedback_stream_;
  sim::TimerId transactions_timer_ = 0;
  sim::TimerId confirmations_timer_ = 0;
  std::deque<std::string> pending_confirmations_;  // accounts, in their (increasing) ingress order
  sim::Time next_confirmation_ = 0;                // earliest time the limit allows the next one
};

}  // namespace fraudsim
