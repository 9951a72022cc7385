#pragma once
// What a run counts: transactions, decisions and their latency, alerts against ground truth,
// confirmations, merchant-service attempts, and a time series. Memory is fixed per series row, so
// it grows with the run's length only by one row per interval.
#include <cstdint>
#include <optional>
#include <vector>

#include "model/observer.h"
#include "sim/histogram.h"

namespace fraudsim {

struct Counts {
  std::uint64_t transactions = 0;
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
};

struct SeriesRow {
  sim::Time start = 0;
  Counts counts;
};

class Metrics : public PipelineObserver {
 public:
  explicit Metrics(sim::Time series_interval) : series_interval_(series_interval) {}

  void on_transaction(sim::Time now, const workshop::Transaction& transaction) override;
  void on_confirmation(sim::Time now, const workshop::ConfirmFraud& confirm) override;
  void on_decision(sim::Time now, const workshop::Transaction& transaction, int score,
                   bool alert) override;
  void on_merchant_attempt(sim::Time now, sim::AsyncStatus status) override;
  void on_merchant_reply(sim::Time now, bool error) override;
  // An alert left the pipeline through the egress.
  void on_alert(sim::Time now, const workshop::Transaction& transaction);

  const Counts& totals() const { return totals_; }
  std::uint64_t in_flight() const { return totals_.transactions - totals_.decisions; }
  std::uint64_t peak_in_flight() const { return peak_in_flight_; }
  const sim::Histogram& decision_latency() const { return decision_latency_; }
  const std::vector<SeriesRow>& series() const { return series_; }
  sim::Time series_interval() const { return series_interval_; }

  // Alerts on fraud over all alerts with a known truth; none when no alert has a known truth.
  std::optional<double> precision() const;
  // Alerted frauds over decided frauds; none when no fraud was decided.
  std::optional<double> recall() const;

 private:
  // Adds `field` of the totals and of the series row for `now`.
  void count(sim::Time now, std::uint64_t Counts::*field);

  sim::Time series_interval_;
  Counts totals_;
  std::vector<SeriesRow> series_;
  sim::Histogram decision_latency_;
  std::uint64_t peak_in_flight_ = 0;
};

}  // namespace fraudsim
