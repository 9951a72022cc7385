#include "model/population_traffic.h"

#include <algorithm>
#include <cmath>

#include "model/merchant_names.h"
#include "model/scenario.h"

namespace fraudsim {
namespace {

std::vector<double> activity_weights(const Scenario& scenario) {
  const sim::StreamKey stream = sim::make_stream(scenario.seed, "population.activity");
  std::vector<double> weights(static_cast<std::size_t>(scenario.traffic.accounts));
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sim::Rng rng(stream, i);
    weights[i] = sim::log_normal(rng, 1.0, scenario.traffic.activity_spread);
  }
  return weights;
}

std::vector<double> zipf_weights(std::int64_t count, double exponent) {
  std::vector<double> weights(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < weights.size(); ++i) {
    weights[i] = 1.0 / std::pow(static_cast<double>(i + 1), exponent);
  }
  return weights;
}

std::int32_t amount(sim::Rng& rng, double median, double spread) {
  const double value = std::round(sim::log_normal(rng, median, spread));
  return static_cast<std::int32_t>(std::clamp(value, 1.0, 2'000'000'000.0));
}

}  // namespace

PopulationTraffic::PopulationTraffic(const Scenario& scenario, Ingress& ingress)
    : ingress_(ingress),
      scenario_(scenario),
      account_by_activity_(activity_weights(scenario)),
      merchant_by_popularity_(zipf_weights(scenario.traffic.merchants, scenario.traffic.merchant_skew)),
      legitimate_rate_(static_cast<double>(scenario.traffic.accounts) * scenario.traffic.activity),
      compromise_rate_(static_cast<double>(scenario.traffic.accounts) * scenario.fraud.compromise_rate),
      legitimate_stream_(sim::make_stream(scenario.seed, "population.legitimate")),
      compromise_stream_(sim::make_stream(scenario.seed, "population.compromises")),
      fraud_stream_(sim::make_stream(scenario.seed, "population.frauds")) {
  accounts_.reserve(static_cast<std::size_t>(scenario.traffic.accounts));
  for (std::int64_t i = 0; i < scenario.traffic.accounts; ++i) {
    accounts_.push_back(format_account(0x100000 + static_cast<std::uint64_t>(i)));
  }
  const auto& names = merchant_names();
  merchants_.assign(names.begin(), names.begin() + scenario.traffic.merchants);
}

sim::Time PopulationTraffic::after(sim::Time now, double seconds) const {
  return now + static_cast<sim::Time>(std::llround(seconds * 1e6));
}

void PopulationTraffic::start(sim::Runtime& runtime) {
  legitimate_timer_ = runtime.add_timer(
      "population.legitimate", [this](sim::Runtime& rt, std::uint64_t k) { emit_legitimate(rt, k); });
  compromise_timer_ = runtime.add_timer(
      "population.compromise", [this](sim::Runtime& rt, std::uint64_t c) { begin_compromise(rt, c); });
  fraud_timer_ = runtime.add_timer(
      "population.fraud", [this](sim::Runtime& rt, std::uint64_t c) { emit_fraud(rt, c); });
  confirm_timer_ = runtime.add_timer(
      "population.confirm", [this](sim::Runtime& rt, std::uint64_t n) { confirm(rt, n); });

  // Each process's first arrival is its gap from zero, drawn like every later gap.
  sim::Rng first_legitimate(legitimate_stream_, UINT64_MAX);
  runtime.schedule_timer(after(0, sim::exponential(first_legitimate, 1.0 / legitimate_rate_)),
                         legitimate_timer_, 0);
  if (compromise_rate_ > 0) {
    sim::Rng first_compromise(compromise_stream_, UINT64_MAX);
    runtime.schedule_timer(after(0, sim::exponential(first_compromise, 1.0 / compromise_rate_)),
                           compromise_timer_, 0);
  }
}

void PopulationTraffic::emit_legitimate(sim::Runtime& runtime, std::uint64_t k) {
  sim::Rng rng(legitimate_stream_, k);
  workshop::Transaction transaction;
  transaction.set_account(accounts_[account_by_activity_(rng)]);
  transaction.set_merchant(merchants_[merchant_by_popularity_(rng)]);
  transaction.set_amount(amount(rng, scenario_.traffic.amount_median, scenario_.traffic.amount_spread));
  transaction.set_truth(workshop::TRUTH_LEGITIMATE);
  const sim::Time next = after(runtime.now(), sim::exponential(rng, 1.0 / legitimate_rate_));
  ingress_.transaction(runtime, std::move(transaction));
  runtime.schedule_timer(next, legitimate_timer_, k + 1);
}

void PopulationTraffic::begin_compromise(sim::Runtime& runtime, std::uint64_t c) {
  sim::Rng rng(compromise_stream_, c);
  Compromise compromise;
  compromise.account = static_cast<std::uint32_t>(
      sim::uniform_int(rng, 0, static_cast<std::int64_t>(accounts_.size())));
  const double seconds = sim::exponential(rng, static_cast<double>(scenario_.fraud.burst_length) / 1e6);
  compromise.end = after(runtime.now(), seconds);
  const sim::Time next = after(runtime.now(), sim::exponential(rng, 1.0 / compromise_rate_));
  schedule_next_fraud(runtime, c, compromises_[c] = compromise);
  runtime.schedule_timer(next, compromise_timer_, c + 1);
}

void PopulationTraffic::schedule_next_fraud(sim::Runtime& runtime, std::uint64_t c,
                                            Compromise& compromise) {
  sim::Rng rng(fraud_stream_, sim::combine_keys(c, compromise.frauds));
  const sim::Time at = after(runtime.now(), sim::exponential(rng, 1.0 / scenario_.fraud.burst_rate));
  if (at >= compromise.end) {
    compromises_.erase(c);
    return;
  }
  runtime.schedule_timer(at, fraud_timer_, c);
}

void PopulationTraffic::emit_fraud(sim::Runtime& runtime, std::uint64_t c) {
  Compromise& compromise = compromises_.at(c);
  // A second stream of draws for this fraud, apart from the one that timed it.
  sim::Rng rng(fraud_stream_, sim::combine_keys(~c, compromise.frauds));
  workshop::Transaction transaction;
  transaction.set_account(accounts_[compromise.account]);
  transaction.set_merchant(merchants_[static_cast<std::size_t>(
      sim::uniform_int(rng, 0, static_cast<std::int64_t>(merchants_.size())))]);
  transaction.set_amount(amount(rng, scenario_.fraud.amount_median, scenario_.fraud.amount_spread));
  transaction.set_truth(workshop::TRUTH_FRAUD);
  if (sim::bernoulli(rng, scenario_.fraud.confirm_share)) {
    const double delay_seconds =
        sim::log_normal(rng, static_cast<double>(scenario_.fraud.confirm_delay_median) / 1e6,
                        scenario_.fraud.confirm_delay_spread);
    confirmations_[next_confirmation_] = compromise.account;
    runtime.schedule_timer(after(runtime.now(), delay_seconds), confirm_timer_, next_confirmation_);
    ++next_confirmation_;
  }
  ingress_.transaction(runtime, std::move(transaction));
  ++compromise.frauds;
  schedule_next_fraud(runtime, c, compromise);
}

void PopulationTraffic::confirm(sim::Runtime& runtime, std::uint64_t confirmation) {
  auto it = confirmations_.find(confirmation);
  const std::uint32_t account = it->second;
  confirmations_.erase(it);
  ingress_.confirmation(runtime, accounts_[account]);
}

}  // namespace fraudsim
