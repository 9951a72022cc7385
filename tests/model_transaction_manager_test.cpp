#include "model/transaction_manager.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/messages.pb.h"
#include "model/pipeline_types.h"
#include "test_support.h"

namespace fraudsim {
namespace {

using testing::Received;
using testing::Recorder;
using testing::RecordingEgress;
using workshop::FeatureVector;
using workshop::FraudScore;
using workshop::MerchantScore;
using workshop::QueryFraud;
using workshop::QueryMerchantScore;
using workshop::ReportedFraud;
using workshop::Transaction;

constexpr sim::Time kHop = sim::kMillisecond;  // the runtime's default hop latency
constexpr int kThreshold = 80;
const std::string kManagerId = "7";
const std::string kAccount = "0x00ABCDEF";
const std::string kMerchant = "Amberworks";
constexpr int kAmount = 4321;

struct Decision {
  sim::Time time;
  std::uint64_t transaction_id;
  int score;
  bool alert;
};

class DecisionLog : public PipelineObserver {
 public:
  void on_decision(sim::Time now, const Transaction& transaction, int score, bool alert) override {
    decisions.push_back({now, transaction.id(), score, alert});
  }
  std::vector<Decision> decisions;
};

Transaction sample_transaction() {
  Transaction transaction;
  transaction.set_account(kAccount);
  transaction.set_merchant(kMerchant);
  transaction.set_amount(kAmount);
  transaction.set_id(7);
  transaction.set_timestamp(0);
  return transaction;
}

sim::Message reported_fraud(int count) {
  ReportedFraud reply;
  reply.set_count(count);
  return sim::make_message(reply);
}

sim::Message merchant_score(int score) {
  MerchantScore reply;
  reply.set_score(score);
  return sim::make_message(reply);
}

sim::Message merchant_error() {
  MerchantScore reply;
  reply.set_error(true);
  return sim::make_message(reply);
}

sim::Message fraud_score(int score) {
  FraudScore reply;
  reply.set_score(score);
  return sim::make_message(reply);
}

// One manager bound to its type; the other three types record what the manager sends them.
// Replies are ingested straight to the manager's address: it never looks at who sent them.
struct ManagerBench {
  sim::Runtime runtime;
  RecordingEgress alerts;
  PipelineTypes types = declare_pipeline_types(runtime, &alerts);
  DecisionLog observer;
  TransactionManager manager{types, kThreshold, {}, observer};
  std::vector<Received> sent;
  Recorder recorder{sent};

  ManagerBench() {
    runtime.bind(types.transaction_manager, &manager);
    runtime.bind(types.fraud_count, &recorder);
    runtime.bind(types.merchant, &recorder);
    runtime.bind(types.model, &recorder);
  }

  void deliver(sim::Time at, sim::Message message) {
    runtime.ingest(at, types.transaction_manager, kManagerId, std::move(message));
    runtime.run_until(at + kHop);
  }

  sim::Address manager_address() const {
    return sim::Address{std::string(kTransactionManagerType), kManagerId};
  }

  std::vector<Received> sent_to(std::string_view type) const {
    std::vector<Received> out;
    for (const Received& r : sent) {
      if (r.to.type == type) out.push_back(r);
    }
    return out;
  }

  std::uint64_t managers_with_state() const {
    return runtime.type_statistics()[types.transaction_manager].addresses_with_state;
  }

  // Transaction at 0, fraud count at 10ms, merchant score at 20ms: the FeatureVector leaves at 20ms.
  void bring_to_model() {
    deliver(0, sim::make_message(sample_transaction()));
    deliver(10 * sim::kMillisecond, reported_fraud(2));
    deliver(20 * sim::kMillisecond, merchant_score(55));
  }
};

TEST_CASE("the transaction manager asks fraud-count for the account and merchant for the merchant") {
  ManagerBench bench;
  bench.deliver(0, sim::make_message(sample_transaction()));

  REQUIRE(bench.sent.size() == 2);
  const auto to_counter = bench.sent_to(kFraudCountType);
  REQUIRE(to_counter.size() == 1);
  CHECK(to_counter[0].to.id == kAccount);
  CHECK(sim::message_as<QueryFraud>(to_counter[0].message) != nullptr);
  CHECK(to_counter[0].time == kHop);
  REQUIRE(to_counter[0].from.has_value());
  CHECK(*to_counter[0].from == bench.manager_address());

  const auto to_merchant = bench.sent_to(kMerchantType);
  REQUIRE(to_merchant.size() == 1);
  CHECK(to_merchant[0].to.id == kMerchant);
  CHECK(sim::message_as<QueryMerchantScore>(to_merchant[0].message) != nullptr);
  CHECK(to_merchant[0].time == kHop);
  REQUIRE(to_merchant[0].from.has_value());
  CHECK(*to_merchant[0].from == bench.manager_address());

  CHECK(bench.sent_to(kModelType).empty());
  CHECK(bench.managers_with_state() == 1);
}

TEST_CASE("the transaction manager waits for both replies when the fraud count comes first") {
  ManagerBench bench;
  bench.deliver(0, sim::make_message(sample_transaction()));
  bench.deliver(10 * sim::kMillisecond, reported_fraud(3));
  CHECK(bench.sent_to(kModelType).empty());

  bench.deliver(20 * sim::kMillisecond, merchant_score(42));
  const auto to_model = bench.sent_to(kModelType);
  REQUIRE(to_model.size() == 1);
  CHECK(to_model[0].to.id == kAccount);
  CHECK(to_model[0].time == 20 * sim::kMillisecond + kHop);
  REQUIRE(to_model[0].from.has_value());
  CHECK(*to_model[0].from == bench.manager_address());
  const auto* features = sim::message_as<FeatureVector>(to_model[0].message);
  REQUIRE(features != nullptr);
  CHECK(features->fraud_count() == 3);
  REQUIRE(features->has_merchant_score());
  CHECK(features->merchant_score() == 42);
  CHECK(features->amount() == kAmount);
}

TEST_CASE("the transaction manager waits for both replies when the merchant score comes first") {
  ManagerBench bench;
  bench.deliver(0, sim::make_message(sample_transaction()));
  bench.deliver(10 * sim::kMillisecond, merchant_score(17));
  CHECK(bench.sent_to(kModelType).empty());

  bench.deliver(20 * sim::kMillisecond, reported_fraud(5));
  const auto to_model = bench.sent_to(kModelType);
  REQUIRE(to_model.size() == 1);
  CHECK(to_model[0].to.id == kAccount);
  CHECK(to_model[0].time == 20 * sim::kMillisecond + kHop);
  const auto* features = sim::message_as<FeatureVector>(to_model[0].message);
  REQUIRE(features != nullptr);
  CHECK(features->fraud_count() == 5);
  REQUIRE(features->has_merchant_score());
  CHECK(features->merchant_score() == 17);
  CHECK(features->amount() == kAmount);
}

TEST_CASE("a merchant error leaves the feature vector's merchant score unset") {
  // Checked in both orders: the stored reply and the arriving reply take different paths.
  for (const bool error_first : {true, false}) {
    CAPTURE(error_first);
    ManagerBench bench;
    bench.deliver(0, sim::make_message(sample_transaction()));
    if (error_first) {
      bench.deliver(10 * sim::kMillisecond, merchant_error());
      bench.deliver(20 * sim::kMillisecond, reported_fraud(1));
    } else {
      bench.deliver(10 * sim::kMillisecond, reported_fraud(1));
      bench.deliver(20 * sim::kMillisecond, merchant_error());
    }
    const auto to_model = bench.sent_to(kModelType);
    REQUIRE(to_model.size() == 1);
    const auto* features = sim::message_as<FeatureVector>(to_model[0].message);
    REQUIRE(features != nullptr);
    CHECK_FALSE(features->has_merchant_score());
    CHECK(features->fraud_count() == 1);
    CHECK(features->amount() == kAmount);
  }
}

TEST_CASE("a merchant score of zero is sent as a set value, not as a missing one") {
  ManagerBench bench;
  bench.deliver(0, sim::make_message(sample_transaction()));
  bench.deliver(10 * sim::kMillisecond, reported_fraud(0));
  bench.deliver(20 * sim::kMillisecond, merchant_score(0));
  const auto to_model = bench.sent_to(kModelType);
  REQUIRE(to_model.size() == 1);
  const auto* features = sim::message_as<FeatureVector>(to_model[0].message);
  REQUIRE(features != nullptr);
  CHECK(features->has_merchant_score());
  CHECK(features->merchant_score() == 0);
}

TEST_CASE("a score one above the threshold sends the stored transaction to the alerts egress") {
  ManagerBench bench;
  bench.bring_to_model();
  bench.deliver(30 * sim::kMillisecond, fraud_score(kThreshold + 1));

  REQUIRE(bench.alerts.emitted.size() == 1);
  CHECK(bench.alerts.emitted[0].time == 30 * sim::kMillisecond);
  const auto* alerted = sim::message_as<Transaction>(bench.alerts.emitted[0].message);
  REQUIRE(alerted != nullptr);
  CHECK(alerted->id() == 7);
  CHECK(alerted->account() == kAccount);
  CHECK(alerted->merchant() == kMerchant);
  CHECK(alerted->amount() == kAmount);

  REQUIRE(bench.observer.decisions.size() == 1);
  CHECK(bench.observer.decisions[0].time == 30 * sim::kMillisecond);
  CHECK(bench.observer.decisions[0].transaction_id == 7);
  CHECK(bench.observer.decisions[0].score == kThreshold + 1);
  CHECK(bench.observer.decisions[0].alert);
}

TEST_CASE("a score equal to the threshold is decided without an alert") {
  ManagerBench bench;
  bench.bring_to_model();
  bench.deliver(30 * sim::kMillisecond, fraud_score(kThreshold));

  CHECK(bench.alerts.emitted.empty());
  REQUIRE(bench.observer.decisions.size() == 1);
  CHECK(bench.observer.decisions[0].transaction_id == 7);
  CHECK(bench.observer.decisions[0].score == kThreshold);
  CHECK_FALSE(bench.observer.decisions[0].alert);
}

TEST_CASE("the threshold is the one the manager was built with") {
  sim::Runtime runtime;
  RecordingEgress alerts;
  const PipelineTypes types = declare_pipeline_types(runtime, &alerts);
  DecisionLog observer;
  TransactionManager manager(types, 10, {}, observer);
  std::vector<Received> sent;
  Recorder recorder(sent);
  runtime.bind(types.transaction_manager, &manager);
  runtime.bind(types.fraud_count, &recorder);
  runtime.bind(types.merchant, &recorder);
  runtime.bind(types.model, &recorder);

  runtime.ingest(0, types.transaction_manager, "t", sim::make_message(sample_transaction()));
  runtime.ingest(sim::kSecond, types.transaction_manager, "t", reported_fraud(0));
  runtime.ingest(sim::kSecond, types.transaction_manager, "t", merchant_score(1));
  runtime.ingest(2 * sim::kSecond, types.transaction_manager, "t", fraud_score(11));
  runtime.run_until(3 * sim::kSecond);

  CHECK(alerts.emitted.size() == 1);
  REQUIRE(observer.decisions.size() == 1);
  CHECK(observer.decisions[0].alert);
}

TEST_CASE("after the score the manager's state is cleared and its address is released") {
  // Either reply may be the one kept in state, and either decision must clear it.
  struct Case {
    bool merchant_first;
    int score;
  };
  for (const Case c : {Case{false, kThreshold}, Case{false, kThreshold + 1},
                       Case{true, kThreshold}, Case{true, kThreshold + 1}}) {
    CAPTURE(c.merchant_first);
    CAPTURE(c.score);
    ManagerBench bench;
    bench.deliver(0, sim::make_message(sample_transaction()));
    CHECK(bench.managers_with_state() == 1);
    bench.deliver(10 * sim::kMillisecond, c.merchant_first ? merchant_score(55) : reported_fraud(2));
    CHECK(bench.managers_with_state() == 1);
    bench.deliver(20 * sim::kMillisecond, c.merchant_first ? reported_fraud(2) : merchant_score(55));
    // Only the manager is left: the recorders keep no state and nothing is pending.
    CHECK(bench.managers_with_state() == 1);
    CHECK(bench.runtime.pending_events() == 0);
    CHECK(bench.runtime.live_addresses() == 1);

    bench.deliver(30 * sim::kMillisecond, fraud_score(c.score));
    CHECK(bench.managers_with_state() == 0);
    CHECK(bench.runtime.live_addresses() == 0);
    CHECK(bench.runtime.type_statistics()[bench.types.transaction_manager]
              .peak_addresses_with_state == 1);
  }
}

TEST_CASE("a second score for a transaction already decided is ignored") {
  ManagerBench bench;
  bench.bring_to_model();
  bench.deliver(30 * sim::kMillisecond, fraud_score(99));
  bench.deliver(40 * sim::kMillisecond, fraud_score(99));

  CHECK(bench.alerts.emitted.size() == 1);
  CHECK(bench.observer.decisions.size() == 1);
  CHECK(bench.managers_with_state() == 0);
}

TEST_CASE("a reply arriving after the decision is ignored and leaves no state behind") {
  ManagerBench bench;
  bench.bring_to_model();
  bench.deliver(30 * sim::kMillisecond, fraud_score(10));
  REQUIRE(bench.managers_with_state() == 0);
  bench.deliver(40 * sim::kMillisecond, reported_fraud(3));
  bench.deliver(50 * sim::kMillisecond, merchant_score(12));
  CHECK(bench.managers_with_state() == 0);
  CHECK(bench.sent_to(kModelType).size() == 1);
  CHECK(bench.runtime.live_addresses() == 0);
}

TEST_CASE("managers of different transactions keep their replies apart") {
  ManagerBench bench;
  Transaction other = sample_transaction();
  other.set_id(8);
  other.set_account("0x00111111");
  other.set_amount(9);
  auto& rt = bench.runtime;
  const auto manager = bench.types.transaction_manager;
  rt.ingest(0, manager, "7", sim::make_message(sample_transaction()));
  rt.ingest(0, manager, "8", sim::make_message(other));
  rt.ingest(sim::kSecond, manager, "7", reported_fraud(4));
  rt.ingest(sim::kSecond, manager, "8", merchant_score(30));
  rt.run_until(2 * sim::kSecond);
  CHECK(bench.sent_to(kModelType).empty());
  CHECK(bench.managers_with_state() == 2);

  rt.ingest(2 * sim::kSecond, manager, "8", reported_fraud(6));
  rt.run_until(3 * sim::kSecond);
  const auto to_model = bench.sent_to(kModelType);
  REQUIRE(to_model.size() == 1);
  CHECK(to_model[0].to.id == "0x00111111");
  CHECK(to_model[0].from->id == "8");
  const auto* features = sim::message_as<FeatureVector>(to_model[0].message);
  REQUIRE(features != nullptr);
  CHECK(features->fraud_count() == 6);
  CHECK(features->merchant_score() == 30);
  CHECK(features->amount() == 9);
}

}  // namespace
}  // namespace fraudsim
