#include "model/metrics.h"

#include <algorithm>
#include <charconv>

namespace fraudsim {

SeriesRow& Metrics::row_at(sim::Time now) {
  const auto row = std::min(static_cast<std::size_t>(now / series_interval_), last_row_);
  while (series_.size() <= row) {
    SeriesRow next;
    next.start = static_cast<sim::Time>(series_.size()) * series_interval_;
    series_.push_back(next);
  }
  return series_[row];
}

void Metrics::count(sim::Time now, std::uint64_t Counts::*field) {
  ++(totals_.*field);
  ++(row_at(now).counts.*field);
}

void Metrics::on_transaction(sim::Time now, const workshop::Transaction& transaction) {
  count(now, &Counts::transactions);
  if (transaction.truth() != workshop::TRUTH_UNKNOWN) count(now, &Counts::with_truth);
  if (transaction.truth() == workshop::TRUTH_FRAUD) count(now, &Counts::fraud_transactions);
  if (in_flight() > peak_in_flight_) peak_in_flight_ = in_flight();
  if (remote_decisions_) undecided_.emplace(transaction.id(), transaction);
}

const workshop::Transaction* Metrics::undecided(std::uint64_t transaction_id) const {
  auto it = undecided_.find(transaction_id);
  return it == undecided_.end() ? nullptr : &it->second;
}

void Metrics::on_score_delivered(sim::Time now, std::uint64_t transaction_id, int score) {
  auto it = undecided_.find(transaction_id);
  if (it == undecided_.end()) return;  // already decided: a late score changes nothing
  const workshop::Transaction transaction = std::move(it->second);
  undecided_.erase(it);
  on_decision(now, transaction, score, alerted_.erase(transaction_id) > 0);
}

void Metrics::on_confirmation(sim::Time now, const workshop::ConfirmFraud&) {
  count(now, &Counts::confirmations);
}

namespace {

// Transaction managers are addressed by the transaction id.
std::optional<std::uint64_t> transaction_id(std::string_view caller_id) {
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(caller_id.data(), caller_id.data() + caller_id.size(), id);
  if (ec != std::errc{} || end != caller_id.data() + caller_id.size()) return std::nullopt;
  return id;
}

}  // namespace

void Metrics::on_decision(sim::Time now, const workshop::Transaction& transaction, int score,
                          bool alert) {
  count(now, &Counts::decisions);
  if (transaction.truth() == workshop::TRUTH_FRAUD) count(now, &Counts::decided_frauds);
  const sim::Time latency = now - transaction.timestamp();
  decision_latency_.record(latency);
  SeriesRow& row = row_at(now);
  row.latency_sum += latency;
  row.latency_max = std::max(row.latency_max, latency);
  TransactionTiming timing;
  if (auto it = open_.find(transaction.id()); it != open_.end()) {
    timing = it->second;
    open_.erase(it);
  }
  merchant_attempts_.record(timing.merchant_attempts);
  model_attempts_.record(timing.model_attempts);
  backoff_.record(timing.backoff());
  if (timing.merchant_error) ++with_error_feature_;
  if (sink_) sink_(Decision{now, transaction, score, alert, timing});
}

void Metrics::on_call_attempt_failed(sim::Time now, sim::TypeId type) {
  if (type == model_type_) count(now, &Counts::model_failed_attempts);
}

void Metrics::on_call_retry(sim::Time now, sim::TypeId type) {
  if (type == model_type_) count(now, &Counts::model_retries);
}

void Metrics::on_call_delivered(sim::Time, sim::TypeId type, std::string_view caller_id,
                                const sim::CallInfo& call) {
  if (type != model_type_) return;
  if (auto id = transaction_id(caller_id)) {
    TransactionTiming& timing = open_[*id];
    timing.model_attempts = call.attempts;
    timing.model_backoff = call.backoff_waited;
  }
}

void Metrics::on_async_timeout(sim::Time now) { count(now, &Counts::merchant_timeouts); }

void Metrics::on_late_answer(sim::Time now) { count(now, &Counts::late_answers_dropped); }

void Metrics::on_alert(sim::Time now, const workshop::Transaction& transaction) {
  count(now, &Counts::alerts);
  if (remote_decisions_ && undecided_.count(transaction.id())) alerted_.insert(transaction.id());
  if (transaction.truth() == workshop::TRUTH_FRAUD) count(now, &Counts::true_positives);
  if (transaction.truth() == workshop::TRUTH_LEGITIMATE) count(now, &Counts::false_positives);
}

void Metrics::on_merchant_attempt(sim::Time now, sim::AsyncStatus status) {
  count(now, &Counts::merchant_attempts);
  if (status == sim::AsyncStatus::kFailure) count(now, &Counts::merchant_failures);
  if (status == sim::AsyncStatus::kUnknown) count(now, &Counts::merchant_unknowns);
}

void Metrics::on_merchant_reply(sim::Time now, std::string_view caller_id, bool error,
                                int attempts, sim::Time backoff) {
  count(now, error ? &Counts::merchant_errors : &Counts::merchant_scores);
  if (auto id = transaction_id(caller_id)) {
    TransactionTiming& timing = open_[*id];
    timing.merchant_attempts = attempts;
    timing.merchant_backoff = backoff;
    timing.merchant_error = error;
  }
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
