// The StateFun 3 edition's wire conventions: what each message looks like on the wire, and that
// decoding, told who sends to whom, gives the message back.
#include <doctest/doctest.h>

#include "model/messages.pb.h"
#include "model/wire_codec.h"
#include "sim/protocol/kafka_egress.pb.h"

namespace fraudsim::wire {
namespace {

workshop::Transaction transaction() {
  workshop::Transaction t;
  t.set_account("0x00ABCDEF");
  t.set_merchant("Amberworks");
  t.set_amount(4321);
  t.set_timestamp(1'500'000);
  t.set_id(17);  // fraudsim's own; not on the wire
  t.set_truth(workshop::TRUTH_FRAUD);  // nor the ground truth
  return t;
}

// A copy, so that it outlives the decoded message.
template <class T>
T as(const sim::Message& m) {
  const T* value = sim::message_as<T>(m);
  REQUIRE(value != nullptr);
  return *value;
}

}  // namespace

TEST_CASE("a transaction is JSON with exactly account, merchant, amount and timestamp") {
  const sim::protocol::TypedValue v = encode(transaction());
  CHECK(v.typename_() == kTransactionType);
  CHECK(v.value() == R"({"account":"0x00ABCDEF","merchant":"Amberworks","amount":4321,"timestamp":1500000})");
  const auto back = as<workshop::Transaction>(decode(v, Role::kUnknown, Role::kTransactionManager));
  CHECK(back.account() == "0x00ABCDEF");
  CHECK(back.merchant() == "Amberworks");
  CHECK(back.amount() == 4321);
  CHECK(back.timestamp() == 1'500'000);
}

TEST_CASE("a confirmation is JSON with the account alone") {
  workshop::ConfirmFraud c;
  c.set_account("acct-42");
  const auto v = encode(c);
  CHECK(v.typename_() == kConfirmFraudType);
  CHECK(v.value() == R"({"account":"acct-42"})");
  CHECK(as<workshop::ConfirmFraud>(decode(v, Role::kUnknown, Role::kFraudCount)).account() == "acct-42");
}

TEST_CASE("both queries are the string 'query', told apart by their receiver") {
  const auto fraud_query = encode(workshop::QueryFraud{});
  const auto merchant_query = encode(workshop::QueryMerchantScore{});
  CHECK(sim::protocol::as_string(fraud_query) == "query");
  CHECK(fraud_query.SerializeAsString() == merchant_query.SerializeAsString());
  CHECK(sim::message_as<workshop::QueryFraud>(
            decode(fraud_query, Role::kTransactionManager, Role::kFraudCount)) != nullptr);
  CHECK(sim::message_as<workshop::QueryMerchantScore>(
            decode(fraud_query, Role::kTransactionManager, Role::kMerchant)) != nullptr);
  CHECK_THROWS_AS(decode(fraud_query, Role::kTransactionManager, Role::kModel), WireError);
}

TEST_CASE("the expiry is the string 'expire'") {
  const auto v = encode(workshop::ExpireFraud{});
  CHECK(sim::protocol::as_string(v) == "expire");
  CHECK(sim::message_as<workshop::ExpireFraud>(decode(v, Role::kFraudCount, Role::kFraudCount)));
}

TEST_CASE("counts and scores are ints, told apart by their sender") {
  const auto seven = sim::protocol::int_value(7);
  CHECK(as<workshop::ReportedFraud>(decode(seven, Role::kFraudCount, Role::kTransactionManager)).count() == 7);
  CHECK(as<workshop::MerchantScore>(decode(seven, Role::kMerchant, Role::kTransactionManager)).score() == 7);
  CHECK(as<workshop::FraudScore>(decode(seven, Role::kModel, Role::kTransactionManager)).score() == 7);
  CHECK_THROWS_AS(decode(seven, Role::kUnknown, Role::kTransactionManager), WireError);
  workshop::ReportedFraud r;
  r.set_count(3);
  CHECK(sim::protocol::as_int(encode(r)) == 3);
}

TEST_CASE("a merchant error goes as the score -1 and comes back as an error") {
  workshop::MerchantScore error;
  error.set_error(true);
  const auto v = encode(error);
  CHECK(sim::protocol::as_int(v) == -1);
  CHECK(as<workshop::MerchantScore>(decode(v, Role::kMerchant, Role::kTransactionManager)).error());
}

TEST_CASE("a feature vector is JSON count, score and amount; a missing merchant score is -1") {
  workshop::FeatureVector f;
  f.set_fraud_count(2);
  f.set_merchant_score(55);
  f.set_amount(100);
  CHECK(encode(f).value() == R"({"count":2,"score":55,"amount":100})");
  f.clear_merchant_score();
  const auto v = encode(f);
  CHECK(v.value() == R"({"count":2,"score":-1,"amount":100})");
  const auto back = as<workshop::FeatureVector>(decode(v, Role::kTransactionManager, Role::kModel));
  CHECK_FALSE(back.has_merchant_score());
  CHECK(back.fraud_count() == 2);
}

TEST_CASE("a feature vector carries the extra features as keys merchant and since_fraud_us, only when present") {
  workshop::FeatureVector f;
  f.set_fraud_count(1);
  f.set_merchant_score(55);
  f.set_amount(100);
  f.set_merchant("Peakhub");
  f.set_since_fraud(90'000'000);
  const auto v = encode(f);
  CHECK(v.value() == R"({"count":1,"score":55,"amount":100,"merchant":"Peakhub","since_fraud_us":90000000})");
  const auto back = as<workshop::FeatureVector>(decode(v, Role::kTransactionManager, Role::kModel));
  CHECK(back.merchant() == "Peakhub");
  CHECK(back.since_fraud() == 90'000'000);
  f.clear_since_fraud();
  CHECK(encode(f).value() == R"({"count":1,"score":55,"amount":100,"merchant":"Peakhub"})");
  CHECK_FALSE(as<workshop::FeatureVector>(decode(encode(f), Role::kTransactionManager, Role::kModel))
                  .has_since_fraud());
}

TEST_CASE("a fraud count goes as an int alone: the time of the latest confirmation stays behind") {
  workshop::ReportedFraud r;
  r.set_count(2);
  r.set_last_confirmed(5'000'000);
  const auto v = encode(r);
  CHECK(sim::protocol::as_int(v) == 2);
  CHECK_FALSE(as<workshop::ReportedFraud>(decode(v, Role::kFraudCount, Role::kTransactionManager))
                  .has_last_confirmed());
}

TEST_CASE("bad wire values are refused with the reason") {
  CHECK_THROWS_WITH_AS(decode(sim::protocol::custom_value(kTransactionType, "{not json"),
                              Role::kUnknown, Role::kTransactionManager),
                       doctest::Contains("not JSON"), WireError);
  CHECK_THROWS_WITH_AS(decode(sim::protocol::custom_value(kConfirmFraudType, R"({"acct":"x"})"),
                              Role::kUnknown, Role::kFraudCount),
                       doctest::Contains("'account' is missing"), WireError);
  CHECK_THROWS_WITH_AS(decode(sim::protocol::custom_value("com.example/other", "{}"),
                              Role::kUnknown, Role::kFraudCount),
                       doctest::Contains("unknown typename"), WireError);
  CHECK_THROWS_WITH_AS(decode_count(sim::protocol::custom_value(sim::protocol::kIntType, "\x0d\x01")),
                       "a 'io.statefun.types/int' whose 2 bytes are not an int", WireError);
  CHECK_THROWS_WITH_AS(decode_count(sim::protocol::custom_value("io.statefun.types/string", "")),
                       "expected an int, got a 'io.statefun.types/string'", WireError);
}

TEST_CASE("an alert is a Kafka record keyed by account with the transaction's JSON on topic alerts") {
  const auto v = alert_record(transaction());
  CHECK(v.typename_() == sim::protocol::kKafkaRecordType);
  io::statefun::sdk::egress::KafkaProducerRecord record;
  REQUIRE(record.ParseFromString(v.value()));
  CHECK(record.key() == "0x00ABCDEF");
  CHECK(record.topic() == "alerts");
  CHECK(record.value_bytes() == encode(transaction()).value());
}

TEST_CASE("either edition's function names map to the same roles") {
  CHECK(role_of("ververica/fraud-count") == Role::kFraudCount);
  CHECK(role_of("com.ververica.fn/counter") == Role::kFraudCount);
  CHECK(role_of("com.ververica.ds/model") == Role::kModel);
  CHECK(role_of("ververica/transaction-manager") == Role::kTransactionManager);
  CHECK(role_of("com.ververica.fn/merchant") == Role::kMerchant);
  CHECK(role_of("example/other") == Role::kUnknown);
  CHECK(edition3_type(Role::kFraudCount) == "com.ververica.fn/counter");
}

}  // namespace fraudsim::wire
