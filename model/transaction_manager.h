#pragma once
// TransactionManager, one instance per transaction: asks FraudCount and MerchantFunction for the
// features, sends the FeatureVector to the model once both are in (whichever came first), alerts
// when the score is strictly above the threshold, then clears its state.
#include <memory>
#include <vector>

#include "model/observer.h"
#include "model/pipeline_types.h"
#include "sim/remote/hosted_state.h"
#include "sim/runtime.h"

namespace fraudsim {

class TransactionManager : public sim::StatefulFunction {
 public:
  TransactionManager(const PipelineTypes& types, int threshold, PipelineObserver& observer);
  void invoke(sim::Context& context, const sim::Message& message) override;
  // Its persisted values as a served function declares them (the StateFun 3 edition's names and
  // types: the transaction as JSON, the count and the merchant score as ints).
  std::vector<std::unique_ptr<sim::remote::HostedState>> hosted_states();

 private:
  void on_transaction(sim::Context& context, const sim::Message& message);
  void on_fraud_count(sim::Context& context, int count);
  void on_merchant_score(sim::Context& context, const sim::Message& message);
  void on_score(sim::Context& context, int score);
  void send_features(sim::Context& context, int count, const workshop::MerchantScore& merchant);

  PipelineTypes types_;
  int threshold_;
  PipelineObserver& observer_;
  sim::PersistedValue<sim::Message> transaction_{"transaction"};
  sim::PersistedValue<int> fraud_count_{"fraud_count"};
  sim::PersistedValue<sim::Message> merchant_score_{"merchant_score"};
};

}  // namespace fraudsim
