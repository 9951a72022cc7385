// The request-reply protocol's wire format: fraudsim's schema and typed values give exactly the
// bytes the official SDKs put on the wire (as observed and recorded in the protocol notes).
#include <doctest/doctest.h>

#include <string>

#include "sim/protocol/kafka_egress.pb.h"
#include "sim/protocol/request_reply.pb.h"
#include "sim/protocol/typed_value.h"

namespace sim::protocol {
namespace {

using io::statefun::sdk::reqreply::FromFunction;
using io::statefun::sdk::reqreply::ToFunction;

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

}  // namespace

TEST_CASE("an int typed value is a sfixed32 wrapper under io.statefun.types/int") {
  CHECK(hex(int_value(1).SerializeAsString()) ==
        "0a15696f2e737461746566756e2e74797065732f696e7410011a050d01000000");
  CHECK(hex(int_value(99).value()) == "0d63000000");
  CHECK(hex(int_value(-1).value()) == "0dffffffff");
}

TEST_CASE("an int of zero is empty bytes with has_value still true") {
  CHECK(hex(int_value(0).SerializeAsString()) ==
        "0a15696f2e737461746566756e2e74797065732f696e741001");
  CHECK(as_int(int_value(0)) == 0);
}

TEST_CASE("a string typed value wraps its text under io.statefun.types/string") {
  CHECK(hex(string_value("query").value()) == "0a057175657279");
  CHECK(string_value("").value().empty());
  CHECK(as_string(string_value("expire")) == "expire");
}

TEST_CASE("reading a typed value checks its typename and presence") {
  CHECK_FALSE(as_int(string_value("1")).has_value());
  CHECK_FALSE(as_string(int_value(1)).has_value());
  TypedValue null_int;
  null_int.set_typename_(std::string(kIntType));
  null_int.set_has_value(false);
  CHECK_FALSE(as_int(null_int).has_value());
  TypedValue garbage = custom_value(kIntType, "\xff\xff");
  CHECK_FALSE(as_int(garbage).has_value());
}

TEST_CASE("a JSON value keeps its bytes verbatim") {
  const TypedValue confirm = custom_value("com.ververica.types/confirm-fraud", R"({"account":"acct-42"})");
  CHECK(hex(confirm.value()) == "7b226163636f756e74223a22616363742d3432227d");
  CHECK(confirm.has_value());
}

TEST_CASE("the response oneofs carry the documented tags") {
  FromFunction empty;
  empty.mutable_invocation_result();
  CHECK(hex(empty.SerializeAsString()) == "a20600");
  FromFunction incomplete;
  auto* spec = incomplete.mutable_incomplete_invocation_context()->add_missing_values();
  spec->set_state_name("count");
  spec->set_type_typename(std::string(kIntType));
  CHECK(hex(incomplete.SerializeAsString()) ==
        "aa06200a1e0a05636f756e741a15696f2e737461746566756e2e74797065732f696e74");
  ToFunction request;
  request.mutable_invocation();
  CHECK(hex(request.SerializeAsString()) == "a20600");
}

TEST_CASE("a DELETE mutation is the state name alone and a MODIFY carries the value") {
  FromFunction::PersistedValueMutation remove;
  remove.set_state_name("count");
  CHECK(hex(remove.SerializeAsString()) == "1205636f756e74");
  FromFunction::InvocationResponse response;
  auto* modify = response.add_state_mutations();
  modify->set_mutation_type(FromFunction::PersistedValueMutation::MODIFY);
  modify->set_state_name("count");
  *modify->mutable_state_value() = int_value(1);
  CHECK(hex(response.SerializeAsString()) ==
        "0a2b08011205636f756e741a200a15696f2e737461746566756e2e74797065732f696e7410011a050d01000000");
}

TEST_CASE("a delayed message's fields decode in any order, the token included") {
  FromFunction::DelayedInvocation delayed;
  delayed.set_delay_in_ms(2'592'000'000);  // 30 days
  delayed.set_cancellation_token("fraud-acct-42-2");
  const std::string bytes = delayed.SerializeAsString();
  CHECK(hex(bytes).find("088090fbd309") != std::string::npos);
  // The SDK writes the token (field 11) first; a decoder must not mind.
  const std::string sdk_order = "\x5a\x0f" "fraud-acct-42-2" "\x08\x80\x90\xfb\xd3\x09";
  FromFunction::DelayedInvocation decoded;
  REQUIRE(decoded.ParseFromString(sdk_order));
  CHECK(decoded.delay_in_ms() == 2'592'000'000);
  CHECK(decoded.cancellation_token() == "fraud-acct-42-2");
  FromFunction::DelayedInvocation cancel;
  cancel.set_is_cancellation_request(true);
  cancel.set_cancellation_token("fraud-acct-42-2");
  CHECK(hex(cancel.SerializeAsString()) == "50015a0f" + hex("fraud-acct-42-2"));
}

TEST_CASE("the Kafka egress record has key, value bytes and topic") {
  io::statefun::sdk::egress::KafkaProducerRecord record;
  record.set_key("0x00100000");
  record.set_value_bytes("{}");
  record.set_topic("alerts");
  io::statefun::sdk::egress::KafkaProducerRecord decoded;
  REQUIRE(decoded.ParseFromString(record.SerializeAsString()));
  CHECK(decoded.topic() == "alerts");
  CHECK(decoded.key() == "0x00100000");
}

}  // namespace sim::protocol
