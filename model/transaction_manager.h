#pragma once
// TransactionManager, one instance per transaction: asks FraudCount and MerchantFunction for the
// features, sends the FeatureVector to the model once both are in (whichever came first), alerts
// when the score is strictly above the threshold, then clears its state. The FeatureVector carries
// the extra features the scenario asks for (model.extra_features).
#include <memory>
#include <vector>

#include "model/messages.pb.h"
#include "model/observer.h"
#include "model/pipeline_types.h"
#include "sim/remote/hosted_state.h"
#include "sim/runtime.h"

namespace fraudsim {

struct ExtraFeatures {
  bool merchant = false;
  bool since_fraud = false;  // known only when FraudCount reports its last confirmation
};

class TransactionManager : public sim::StatefulFunction {
 public:
  TransactionManager(const PipelineTypes& types, int threshold, ExtraFeatures extra,
                     PipelineObserver& observer);
  void invoke(sim::Context& context, const sim::Message& message) override;
  // Its persisted values as a served function declares them (the StateFun 3 edition's names and
  // types: the transaction as JSON, the count and the merchant score as ints).
  std::vector<std::unique_ptr<sim::remote::HostedState>> hosted_states();

 private:
  void on_transaction(sim::Context& context, const sim::Message& message);
  void on_fraud_count(sim::Context& context, const workshop::ReportedFraud& reported);
  void on_merchant_score(sim::Context& context, const sim::Message& message);
  void on_score(sim::Context& context, int score);
  void send_features(sim::Context& context, int count, const sim::Time* last_confirmed,
                     const workshop::MerchantScore& merchant);

  PipelineTypes types_;
  int threshold_;
  ExtraFeatures extra_;
  PipelineObserver& observer_;
  sim::PersistedValue<sim::Message> transaction_{"transaction"};
  sim::PersistedValue<int> fraud_count_{"fraud_count"};
  // Kept with the count when FraudCount reports it; never on the wire (see FraudCount).
  sim::PersistedValue<sim::Time> last_confirmed_{"last_confirmed"};
  sim::PersistedValue<sim::Message> merchant_score_{"merchant_score"};
};

}  // namespace fraudsim
