#include "model/wire_codec.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/messages.pb.h"
#include "model/pipeline_types.h"
#include "sim/protocol/kafka_egress.pb.h"

namespace fraudsim::wire {
namespace {

using Json = nlohmann::ordered_json;
using sim::protocol::TypedValue;

constexpr int kMissingScore = -1;

TypedValue json_value(std::string_view type_name, const Json& json) {
  return sim::protocol::custom_value(type_name, json.dump());
}

Json parse_json(const TypedValue& value) {
  try {
    return Json::parse(value.value());
  } catch (const nlohmann::json::exception& e) {
    throw WireError(fmt::format("{}: not JSON: {}", value.typename_(), e.what()));
  }
}

template <class T>
T field(const Json& json, const char* key, const TypedValue& value) {
  if (!json.is_object() || !json.contains(key)) {
    throw WireError(fmt::format("{}: the key '{}' is missing", value.typename_(), key));
  }
  try {
    return json.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw WireError(fmt::format("{}: the key '{}' has the wrong type", value.typename_(), key));
  }
}

Json transaction_json(const workshop::Transaction& t) {
  return Json{{"account", t.account()},
              {"merchant", t.merchant()},
              {"amount", t.amount()},
              {"timestamp", t.timestamp()}};
}

}  // namespace

Role role_of(std::string_view type) {
  if (type == kTransactionManagerType || type == "com.ververica.fn/transaction-manager") {
    return Role::kTransactionManager;
  }
  if (type == kFraudCountType || type == "com.ververica.fn/counter") return Role::kFraudCount;
  if (type == kMerchantType || type == "com.ververica.fn/merchant") return Role::kMerchant;
  if (type == kModelType || type == "com.ververica.ds/model") return Role::kModel;
  return Role::kUnknown;
}

std::string_view edition3_type(Role role) {
  switch (role) {
    case Role::kTransactionManager: return "com.ververica.fn/transaction-manager";
    case Role::kFraudCount: return "com.ververica.fn/counter";
    case Role::kMerchant: return "com.ververica.fn/merchant";
    case Role::kModel: return "com.ververica.ds/model";
    case Role::kUnknown: break;
  }
  return "";
}

TypedValue encode(const google::protobuf::Message& message) {
  const google::protobuf::Message& view = message;
  if (const auto* t = sim::message_as<workshop::Transaction>(view)) {
    return json_value(kTransactionType, transaction_json(*t));
  }
  if (const auto* c = sim::message_as<workshop::ConfirmFraud>(view)) {
    return json_value(kConfirmFraudType, Json{{"account", c->account()}});
  }
  if (sim::message_as<workshop::QueryFraud>(view) || sim::message_as<workshop::QueryMerchantScore>(view)) {
    return sim::protocol::string_value("query");
  }
  if (sim::message_as<workshop::ExpireFraud>(view)) return sim::protocol::string_value("expire");
  if (const auto* r = sim::message_as<workshop::ReportedFraud>(view)) {
    return sim::protocol::int_value(r->count());
  }
  if (const auto* m = sim::message_as<workshop::MerchantScore>(view)) {
    return sim::protocol::int_value(m->error() ? kMissingScore : m->score());
  }
  if (const auto* f = sim::message_as<workshop::FeatureVector>(view)) {
    Json json{{"count", f->fraud_count()},
              {"score", f->has_merchant_score() ? f->merchant_score() : kMissingScore},
              {"amount", f->amount()}};
    // The extra features only when present, so a function that knows only the three keys sees
    // no more unless the scenario asks for them.
    if (f->has_merchant()) json["merchant"] = f->merchant();
    if (f->has_since_fraud()) json["since_fraud_us"] = f->since_fraud();
    return json_value(kFeatureVectorType, json);
  }
  if (const auto* s = sim::message_as<workshop::FraudScore>(view)) {
    return sim::protocol::int_value(s->score());
  }
  throw WireError(fmt::format("no wire form for {}", message.GetDescriptor()->full_name()));
}

sim::Message decode(const TypedValue& value, Role from, Role to) {
  const std::string& type = value.typename_();
  if (type == kTransactionType) {
    const Json json = parse_json(value);
    workshop::Transaction t;
    t.set_account(field<std::string>(json, "account", value));
    t.set_merchant(field<std::string>(json, "merchant", value));
    t.set_amount(field<std::int32_t>(json, "amount", value));
    t.set_timestamp(field<std::int64_t>(json, "timestamp", value));
    return sim::make_message(std::move(t));
  }
  if (type == kConfirmFraudType) {
    workshop::ConfirmFraud c;
    c.set_account(field<std::string>(parse_json(value), "account", value));
    return sim::make_message(std::move(c));
  }
  if (type == kFeatureVectorType) {
    const Json json = parse_json(value);
    workshop::FeatureVector f;
    f.set_fraud_count(field<std::int32_t>(json, "count", value));
    const auto score = field<std::int32_t>(json, "score", value);
    if (score != kMissingScore) f.set_merchant_score(score);
    f.set_amount(field<std::int32_t>(json, "amount", value));
    if (json.contains("merchant")) f.set_merchant(field<std::string>(json, "merchant", value));
    if (json.contains("since_fraud_us")) {
      f.set_since_fraud(field<std::int64_t>(json, "since_fraud_us", value));
    }
    return sim::make_message(std::move(f));
  }
  if (auto text = sim::protocol::as_string(value)) {
    if (*text == "expire") return sim::make_message(workshop::ExpireFraud{});
    if (*text == "query" && to == Role::kFraudCount) return sim::make_message(workshop::QueryFraud{});
    if (*text == "query" && to == Role::kMerchant) {
      return sim::make_message(workshop::QueryMerchantScore{});
    }
    throw WireError(fmt::format("the string '{}' means nothing to this receiver", *text));
  }
  if (auto number = sim::protocol::as_int(value)) {
    switch (from) {
      case Role::kFraudCount: {
        workshop::ReportedFraud r;
        r.set_count(*number);
        return sim::make_message(std::move(r));
      }
      case Role::kMerchant: {
        workshop::MerchantScore m;
        if (*number == kMissingScore) {
          m.set_error(true);
        } else {
          m.set_score(*number);
        }
        return sim::make_message(std::move(m));
      }
      case Role::kModel: {
        workshop::FraudScore s;
        s.set_score(*number);
        return sim::make_message(std::move(s));
      }
      default:
        throw WireError("an int from a sender that sends no ints");
    }
  }
  throw WireError(fmt::format("unknown typename '{}'", type));
}

TypedValue encode_count(int count) { return sim::protocol::int_value(count); }

int decode_count(const TypedValue& value) {
  if (auto number = sim::protocol::as_int(value)) return *number;
  if (value.typename_() == sim::protocol::kIntType) {
    throw WireError(fmt::format("a '{}' whose {} bytes are not an int", value.typename_(), value.value().size()));
  }
  throw WireError(fmt::format("expected an int, got a '{}'", value.typename_()));
}

TypedValue alert_record(const google::protobuf::Message& message) {
  const auto* t = sim::message_as<workshop::Transaction>(message);
  if (t == nullptr) throw WireError("an alert must be a transaction");
  io::statefun::sdk::egress::KafkaProducerRecord record;
  record.set_key(t->account());
  record.set_value_bytes(transaction_json(*t).dump());
  record.set_topic("alerts");
  return sim::protocol::custom_value(sim::protocol::kKafkaRecordType, record.SerializeAsString());
}

sim::Message alert_transaction(const TypedValue& record) {
  if (record.typename_() != sim::protocol::kKafkaRecordType) {
    throw WireError(fmt::format("an alert must be a '{}', not a '{}'", sim::protocol::kKafkaRecordType,
                                record.typename_()));
  }
  io::statefun::sdk::egress::KafkaProducerRecord kafka;
  if (!kafka.ParseFromString(record.value())) throw WireError("the alert's Kafka record cannot be read");
  return decode(sim::protocol::custom_value(kTransactionType, kafka.value_bytes()), Role::kUnknown,
                Role::kUnknown);
}

}  // namespace fraudsim::wire
