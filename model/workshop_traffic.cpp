#include "model/workshop_traffic.h"

#include <algorithm>
#include <cmath>

#include "model/merchant_names.h"
#include "model/scenario.h"

namespace fraudsim {

WorkshopTraffic::WorkshopTraffic(const Scenario& scenario, Ingress& ingress)
    : ingress_(ingress),
      rate_(scenario.traffic.rate),
      alert_confirm_share_(scenario.fraud.alert_confirm_share),
      confirm_spacing_(std::max<sim::Time>(
          1, static_cast<sim::Time>(std::llround(1e6 / scenario.fraud.confirm_limit)))),
      transactions_stream_(sim::make_stream(scenario.seed, "workshop.transactions")),
      feedback_stream_(sim::make_stream(scenario.seed, "workshop.feedback")) {}

sim::Time WorkshopTraffic::arrival_time(std::uint64_t k) const {
  return static_cast<sim::Time>(std::floor(static_cast<double>(k) * (1e6 / rate_)));
}

void WorkshopTraffic::start(sim::Runtime& runtime) {
  transactions_timer_ = runtime.add_timer(
      "workshop.transactions", [this](sim::Runtime& rt, std::uint64_t k) { emit(rt, k); });
  confirmations_timer_ = runtime.add_timer(
      "workshop.confirmations", [this](sim::Runtime& rt, std::uint64_t) { confirm_next(rt); });
  runtime.schedule_timer(arrival_time(0), transactions_timer_, 0);
}

void WorkshopTraffic::emit(sim::Runtime& runtime, std::uint64_t k) {
  const auto& names = merchant_names();
  sim::Rng rng(transactions_stream_, k);
  workshop::Transaction transaction;
  transaction.set_account(format_account(
      static_cast<std::uint64_t>(sim::uniform_int(rng, 0x100000, 0x1000000))));
  transaction.set_merchant(names[k % names.size()]);
  transaction.set_amount(static_cast<std::int32_t>(sim::uniform_int(rng, 0, 100000)));
  ingress_.transaction(runtime, std::move(transaction));
  runtime.schedule_timer(arrival_time(k + 1), transactions_timer_, k + 1);
}

void WorkshopTraffic::on_alert(sim::Runtime& runtime, const workshop::Transaction& alert) {
  sim::Rng rng(feedback_stream_, alert.id());
  if (!sim::bernoulli(rng, alert_confirm_share_)) return;
  const sim::Time at = std::max(runtime.now(), next_confirmation_);
  next_confirmation_ = at + confirm_spacing_;
  pending_confirmations_.push_back(alert.account());
  runtime.schedule_timer(at, confirmations_timer_, 0);
}

void WorkshopTraffic::confirm_next(sim::Runtime& runtime) {
  std::string account = std::move(pending_confirmations_.front());
  pending_confirmations_.pop_front();
  ingress_.confirmation(runtime, std::move(account));
}

}  // namespace fraudsim
