#pragma once
// What a run counts: transactions, decisions and their latency, alerts against ground truth,
// confirmations, merchant-service attempts, and a time series. Memory is fixed per series row, so
// it grows with the run's length only by one row per interval.
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/observer.h"
#include "sim/histogram.h"

namespace fraudsim {

struct Counts {
  std::uint64_t transactions = 0;
  std::uint64_t with_truth = 0;          // transactions whose ground truth is known
  std::uint64_t fraud_transactions = 0;  // ground truth: fraud
  std::uint64_t decisions = 0;
  std::uint64_t decided_frauds = 0;
  std::uint64_t alerts = 0;
  std::uint64_t true_positives = 0;   // alerts on fraud
  std::uint64_t false_positives = 0;  // alerts on legitimate transactions
  std::uint64_t confirmations = 0;
  std::uint64_t merchant_attempts = 0;
  std::uint64_t merchant_failures = 0;
  std::uint64_t merchant_unknowns = 0;
  std::uint64_t merchant_scores = 0;  // replies with a score
  std::uint64_t merchant_errors = 0;  // replies with an error, after the last attempt failed
  std::uint64_t merchant_timeouts = 0;      // attempts that timed out
  std::uint64_t late_answers_dropped = 0;   // their answers, arrived after the timeout
  std::uint64_t model_failed_attempts = 0;  // model calls that failed (refused, reset, ...)
  std::uint64_t model_retries = 0;          // model call attempts after the first of a call
};

// How one transaction went, from ingress to decision.
struct TransactionTiming {
  int merchant_attempts = 0;
  sim::Time merchant_backoff = 0;  // waited between merchant attempts
  bool merchant_error = false;     // the merchant feature was an error
  int model_attempts = 0;          // attempts of the model call that scored it
  sim::Time model_backoff = 0;     // waited between model call attempts
  sim::Time backoff() const { return merchant_backoff + model_backoff; }
};

struct Decision {
  sim::Time time;
  const workshop::Transaction& transaction;
  int score;
  bool alert;
  const TransactionTiming& timing;
};

struct SeriesRow {
  sim::Time start = 0;
  Counts counts;
  sim::Time latency_sum = 0;  // decision latencies of the row's decisions
  sim::Time latency_max = 0;
};

class Metrics : public PipelineObserver, public sim::RuntimeObserver {
 public:
  // Rows of the series cover [start, start + interval); the last one also takes the horizon's own
  // instant (events stamped at the horizon run), so a series has ceil(horizon / interval) rows.
  Metrics(sim::Time series_interval, sim::Time horizon)
      : series_interval_(series_interval),
        last_row_(static_cast<std::size_t>(horizon > 0 ? (horizon - 1) / series_interval : 0)) {}
  // Which function type is the model, whose calls are timed per transaction.
  void set_model_type(sim::TypeId model) { model_type_ = model; }
  // Called with every decision (for a per-transaction file); may be empty.
  void set_decision_sink(std::function<void(const Decision&)> sink) { sink_ = std::move(sink); }

  void on_transaction(sim::Time now, const workshop::Transaction& transaction) override;
  void on_confirmation(sim::Time now, const workshop::ConfirmFraud& confirm) override;
  void on_decision(sim::Time now, const workshop::Transaction& transaction, int score,
                   bool alert) override;
  void on_merchant_attempt(sim::Time now, sim::AsyncStatus status) override;
  void on_merchant_reply(sim::Time now, std::string_view caller_id, bool error, int attempts,
                         sim::Time backoff) override;
  void on_call_attempt_failed(sim::Time now, sim::TypeId type) override;
  void on_call_retry(sim::Time now, sim::TypeId type) override;
  void on_call_delivered(sim::Time now, sim::TypeId type, std::string_view caller_id,
                         const sim::CallInfo& call) override;
  void on_async_timeout(sim::Time now) override;
  void on_late_answer(sim::Time now) override;
  // An alert left the pipeline through the egress.
  void on_alert(sim::Time now, const workshop::Transaction& transaction);

  // When the transaction manager is remote, its decisions are not reported from inside it: call
  // this before the run, and on_score_delivered as each score reaches it. A decision is the first
  // score for a transaction; it alerted when an alert for it left before.
  void observe_remote_decisions() { remote_decisions_ = true; }
  void on_score_delivered(sim::Time now, std::uint64_t transaction_id, int score);
  // The transaction as it entered, while undecided (remote decisions only); else null. An alert
  // from a remote manager carries only what crosses the wire; this is the whole of it.
  const workshop::Transaction* undecided(std::uint64_t transaction_id) const;

  const Counts& totals() const { return totals_; }
  std::uint64_t in_flight() const { return totals_.transactions - totals_.decisions; }
  std::uint64_t peak_in_flight() const { return peak_in_flight_; }
  const sim::Histogram& decision_latency() const { return decision_latency_; }
  // Per decided transaction.
  const sim::Histogram& merchant_attempts() const { return merchant_attempts_; }
  const sim::Histogram& model_attempts() const { return model_attempts_; }
  const sim::Histogram& backoff() const { return backoff_; }
  std::uint64_t decisions_with_error_feature() const { return with_error_feature_; }
  const std::vector<SeriesRow>& series() const { return series_; }
  sim::Time series_interval() const { return series_interval_; }

  bool has_truth() const { return totals_.with_truth > 0; }
  // Alerts on fraud over all alerts with a known truth; none when no alert has a known truth.
  std::optional<double> precision() const;
  // Alerted frauds over decided frauds; none when no fraud was decided.
  std::optional<double> recall() const;

 private:
  SeriesRow& row_at(sim::Time now);
  // Adds `field` of the totals and of the series row for `now`.
  void count(sim::Time now, std::uint64_t Counts::*field);

  sim::Time series_interval_;
  std::size_t last_row_;
  sim::TypeId model_type_ = UINT32_MAX;
  std::function<void(const Decision&)> sink_;
  Counts totals_;
  std::vector<SeriesRow> series_;
  sim::Histogram decision_latency_;
  sim::Histogram merchant_attempts_;
  sim::Histogram model_attempts_;
  sim::Histogram backoff_;
  std::uint64_t with_error_feature_ = 0;
  std::uint64_t peak_in_flight_ = 0;
  // Transactions in flight, by id; looked up, never iterated.
  std::unordered_map<std::uint64_t, TransactionTiming> open_;
  // With a remote transaction manager: transactions not yet decided, and those already alerted.
  bool remote_decisions_ = false;
  std::unordered_map<std::uint64_t, workshop::Transaction> undecided_;
  std::unordered_set<std::uint64_t> alerted_;
};

}  // namespace fraudsim
