#include "model/transaction_manager.h"

#include <algorithm>

#include "model/wire_codec.h"

namespace fraudsim {

using workshop::FeatureVector;
using workshop::FraudScore;
using workshop::MerchantScore;
using workshop::QueryFraud;
using workshop::QueryMerchantScore;
using workshop::ReportedFraud;
using workshop::Transaction;

TransactionManager::TransactionManager(const PipelineTypes& types, int threshold,
                                       ExtraFeatures extra, PipelineObserver& observer)
    : types_(types), threshold_(threshold), extra_(extra), observer_(observer) {}

void TransactionManager::invoke(sim::Context& context, const sim::Message& message) {
  if (sim::message_as<Transaction>(message)) {
    on_transaction(context, message);
  } else if (const auto* reported = sim::message_as<ReportedFraud>(message)) {
    on_fraud_count(context, *reported);
  } else if (sim::message_as<MerchantScore>(message)) {
    on_merchant_score(context, message);
  } else if (const auto* score = sim::message_as<FraudScore>(message)) {
    on_score(context, score->score());
  }
}

void TransactionManager::on_transaction(sim::Context& context, const sim::Message& message) {
  const auto& transaction = static_cast<const Transaction&>(*message);
  transaction_.set(context, message);
  context.send(types_.fraud_count, transaction.account(), sim::make_message(QueryFraud{}));
  context.send(types_.merchant, transaction.merchant(), sim::make_message(QueryMerchantScore{}));
}

void TransactionManager::on_fraud_count(sim::Context& context, const ReportedFraud& reported) {
  if (transaction_.get(context) == nullptr) return;  // late, for a transaction already decided
  const sim::Time last = reported.last_confirmed();
  const sim::Time* last_confirmed = reported.has_last_confirmed() ? &last : nullptr;
  if (const sim::Message* merchant = merchant_score_.get(context)) {
    send_features(context, reported.count(), last_confirmed,
                  static_cast<const MerchantScore&>(**merchant));
  } else {
    fraud_count_.set(context, reported.count());
    if (last_confirmed != nullptr) last_confirmed_.set(context, last);
  }
}

void TransactionManager::on_merchant_score(sim::Context& context, const sim::Message& message) {
  if (transaction_.get(context) == nullptr) return;  // late, for a transaction already decided
  if (const int* count = fraud_count_.get(context)) {
    send_features(context, *count, last_confirmed_.get(context),
                  static_cast<const MerchantScore&>(*message));
  } else {
    merchant_score_.set(context, message);
  }
}

void TransactionManager::send_features(sim::Context& context, int count,
                                       const sim::Time* last_confirmed,
                                       const MerchantScore& merchant) {
  const auto& transaction = static_cast<const Transaction&>(**transaction_.get(context));
  FeatureVector features;
  features.set_fraud_count(count);
  if (!merchant.error()) features.set_merchant_score(merchant.score());
  features.set_amount(transaction.amount());
  if (extra_.merchant) features.set_merchant(transaction.merchant());
  if (extra_.since_fraud && last_confirmed != nullptr) {
    features.set_since_fraud(std::max<sim::Time>(0, context.now() - *last_confirmed));
  }
  context.send(types_.model, transaction.account(), sim::make_message(std::move(features)));
}

void TransactionManager::on_score(sim::Context& context, int score) {
  const sim::Message* stored = transaction_.get(context);
  if (stored == nullptr) return;
  const sim::Message transaction = *stored;
  const bool alert = score > threshold_;
  if (alert) context.egress(types_.alerts, transaction);
  observer_.on_decision(context.now(), static_cast<const Transaction&>(*transaction), score, alert);
  transaction_.clear(context);
  fraud_count_.clear(context);
  last_confirmed_.clear(context);
  merchant_score_.clear(context);
}

std::vector<std::unique_ptr<sim::remote::HostedState>> TransactionManager::hosted_states() {
  using Stored = sim::remote::HostedValue<sim::Message>;
  const auto encode = [](const sim::Message& message) { return wire::encode(*message); };
  std::vector<std::unique_ptr<sim::remote::HostedState>> states;
  states.push_back(std::make_unique<Stored>(
      transaction_, std::string(wire::kTransactionType), encode,
      [](const sim::protocol::TypedValue& value) {
        return wire::decode(value, wire::Role::kUnknown, wire::Role::kTransactionManager);
      }));
  states.push_back(std::make_unique<sim::remote::HostedValue<int>>(
      fraud_count_, std::string(sim::protocol::kIntType), wire::encode_count, wire::decode_count));
  states.push_back(std::make_unique<Stored>(
      merchant_score_, std::string(sim::protocol::kIntType), encode,
      [](const sim::protocol::TypedValue& value) {
        wire::decode_count(value);  // an int, or the reason it is not
        return wire::decode(value, wire::Role::kMerchant, wire::Role::kTransactionManager);
      }));
  return states;
}

}  // namespace fraudsim
