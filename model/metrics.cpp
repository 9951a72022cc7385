#include "model/metrics.h"

namespace fraudsim {

void Metrics::count(sim::Time now, std::uint64_t Counts::*field) {
  ++(totals_.*field);
  const auto row = static_cast<std::size_t>(now / series_interval_);
  while (series_.size() <= row) {
    series_.push_back(SeriesRow{static_cast<sim::Time>(series_.size()) * series_interval_, {}});
  }
  ++(series_[row].counts.*field);
}

void Metrics::on_transaction(sim::Time now, const workshop::Transaction& transaction) {
  count(now, &Counts::transactions);
  if (transaction.truth() == workshop::TRUTH_FRAUD) count(now, &Counts::fraud_transactions);
  if (in_flight() > peak_in_flight_) peak_in_flight_ = in_flight();
}

void Metrics::on_confirmation(sim::Time now, const workshop::ConfirmFraud&) {
  count(now, &Counts::confirmations);
}

void Metrics::on_decision(sim::Time now, const workshop::Transaction& transaction, int, bool) {
  count(now, &Counts::decisions);
  if (transaction.truth() == workshop::TRUTH_FRAUD) count(now, &Counts::decided_frauds);
  decision_latency_.record(now - transaction.timestamp());
}

void Metrics::on_alert(sim::Time now, const workshop::Transaction& transaction) {
  count(now, &Counts::alerts);
  if (transaction.truth() == workshop::TRUTH_FRAUD) count(now, &Counts::true_positives);
  if (transaction.truth() == workshop::TRUTH_LEGITIMATE) count(now, &Counts::false_positives);
}

void Metrics::on_merchant_attempt(sim::Time now, sim::AsyncStatus status) {
  count(now, &Counts::merchant_attempts);
  if (status == sim::AsyncStatus::kFailure) count(now, &Counts::merchant_failures);
  if (status == sim::AsyncStatus::kUnknown) count(now, &Counts::merchant_unknowns);
}

void Metrics::on_merchant_reply(sim::Time now, bool error) {
  count(now, error ? &Counts::merchant_errors : &Counts::merchant_scores);
}

std::optional<double> Metrics::precision() const {
  const std::uint64_t known = totals_.true_positives + totals_.false_positives;
  if (known == 0) return std::nullopt;
  return static_cast<double>(totals_.true_positives) / static_cast<double>(known);
}

std::optional<double> Metrics::recall() const {
  if (totals_.decided_frauds == 0) return std::nullopt;
  return static_cast<double>(totals_.true_positives) / static_cast<double>(totals_.decided_frauds);
}

}  // namespace fraudsim
