#pragma once
// How fraudsim's messages cross HTTP: the conventions of the workshop's StateFun 3 edition, so a
// remote function written for that edition works against fraudsim unchanged.
//
//   Transaction         com.ververica.types/transaction    JSON {"account","merchant","amount","timestamp"}
//   ConfirmFraud        com.ververica.types/confirm-fraud  JSON {"account"}
//   QueryFraud          io.statefun.types/string "query"   (manager to counter)
//   QueryMerchantScore  io.statefun.types/string "query"   (manager to merchant)
//   ExpireFraud         io.statefun.types/string "expire"  (the counter's delayed message to itself)
//   ReportedFraud       io.statefun.types/int              (counter's reply: the count)
//   MerchantScore       io.statefun.types/int              (merchant's reply: the score; -1 for an
//                                                           error, which that edition lacks: an int
//                                                           its functions take as they are)
//   FeatureVector       com.ververica.types/feature-vector JSON {"count","score","amount"}; a
//                                                           missing merchant score is -1; the
//                                                           extra features, when present, as
//                                                           "merchant" and "since_fraud_us"
//   FraudScore          io.statefun.types/int              (model's reply)
//   alert               egress com.ververica.egress/alerts: KafkaProducerRecord{key = account,
//                       value = the transaction's JSON, topic "alerts"}
//
// Strings and ints are told apart by who sends them to whom, as that edition's functions do.
#include <string>
#include <string_view>

#include "sim/message.h"
#include "sim/protocol/typed_value.h"

namespace fraudsim::wire {

// The four functions, whatever either edition calls them.
enum class Role { kTransactionManager, kFraudCount, kMerchant, kModel, kUnknown };

// "ververica/fraud-count" (seed edition) or "com.ververica.fn/counter" (StateFun 3 edition).
Role role_of(std::string_view function_type);
// The StateFun 3 edition's name of a role, e.g. "com.ververica.fn/counter".
std::string_view edition3_type(Role role);

inline constexpr std::string_view kTransactionType = "com.ververica.types/transaction";
inline constexpr std::string_view kConfirmFraudType = "com.ververica.types/confirm-fraud";
inline constexpr std::string_view kFeatureVectorType = "com.ververica.types/feature-vector";
inline constexpr std::string_view kAlertsEgress = "com.ververica.egress/alerts";

// Thrown when a value does not fit the conventions (unknown typename, bad JSON, missing key).
class WireError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

sim::protocol::TypedValue encode(const google::protobuf::Message& message);
// `from` and `to` are the sender's and the receiver's roles (kUnknown for ingress).
sim::Message decode(const sim::protocol::TypedValue& value, Role from, Role to);

// A persisted value, as the StateFun 3 edition's functions keep it, and back.
sim::protocol::TypedValue encode_count(int count);
int decode_count(const sim::protocol::TypedValue& value);  // throws WireError if not an int

// The alert egress record for a transaction, and the transaction in such a record.
sim::protocol::TypedValue alert_record(const google::protobuf::Message& transaction);
sim::Message alert_transaction(const sim::protocol::TypedValue& record);

}  // namespace fraudsim::wire
