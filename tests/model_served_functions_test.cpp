// The function side (`fraudsim serve`): fraudsim's functions answer ToFunction requests as the
// official SDKs do, on the StateFun 3 edition's conventions.
#include <doctest/doctest.h>

#include "model/served_functions.h"
#include "model/wire_codec.h"
#include "sim/protocol/typed_value.h"
#include "tests/remote_test_support.h"

namespace fraudsim::testing {
namespace {

using sim::remote::BadRequest;

rr::ToFunction request_to(const std::string& ns, const std::string& type, const std::string& id) {
  rr::ToFunction request;
  auto& target = *request.mutable_invocation()->mutable_target();
  target.set_namespace_(ns);
  target.set_type(type);
  target.set_id(id);
  return request;
}

void add_invocation(rr::ToFunction& request, const sim::protocol::TypedValue& argument,
                    const std::string& caller_id = "") {
  auto& invocation = *request.mutable_invocation()->add_invocations();
  *invocation.mutable_argument() = argument;
  if (!caller_id.empty()) {
    invocation.mutable_caller()->set_namespace_("com.ververica.fn");
    invocation.mutable_caller()->set_type("transaction-manager");
    invocation.mutable_caller()->set_id(caller_id);
  }
}

void add_state(rr::ToFunction& request, const std::string& name,
               std::optional<sim::protocol::TypedValue> value = std::nullopt) {
  auto& state = *request.mutable_invocation()->add_state();
  state.set_state_name(name);
  if (value) *state.mutable_state_value() = *value;
}

rr::FromFunction answer(ServedFunctions& served, const rr::ToFunction& request) {
  rr::FromFunction response;
  REQUIRE(response.ParseFromString(served.handle(request.SerializeAsString())));
  return response;
}

sim::protocol::TypedValue confirm(const std::string& account) {
  return sim::protocol::custom_value(wire::kConfirmFraudType, "{\"account\":\"" + account + "\"}");
}

TEST_CASE("served functions: a request the SDKs refuse is a bad request naming what is wrong") {
  ServedFunctions served(make_scenario({}));
  CHECK_THROWS_WITH_AS(served.handle("\xff\xff garbage"), doctest::Contains("not a ToFunction"), BadRequest);
  const std::string valid = request_to("com.ververica.fn", "counter", "a").SerializeAsString();
  CHECK_THROWS_AS(served.handle(valid.substr(0, valid.size() - 2)), BadRequest);
  CHECK_THROWS_WITH_AS(served.handle(""), doctest::Contains("no invocation"), BadRequest);
  CHECK_THROWS_WITH_AS(served.handle(request_to("com.ververica.fn", "nope", "a").SerializeAsString()),
                       doctest::Contains("unknown function type 'com.ververica.fn/nope'"), BadRequest);
  rr::ToFunction wrong_type = request_to("com.ververica.fn", "counter", "a");
  add_state(wrong_type, "fraud_count", sim::protocol::string_value("three"));
  add_invocation(wrong_type, sim::protocol::string_value("query"), "t1");
  CHECK_THROWS_WITH_AS(served.handle(wrong_type.SerializeAsString()),
                       doctest::Contains("state 'fraud_count' holds a 'io.statefun.types/string'"),
                       BadRequest);
  rr::ToFunction bad_argument = request_to("com.ververica.fn", "counter", "a");
  add_state(bad_argument, "fraud_count");
  add_invocation(bad_argument, sim::protocol::custom_value(wire::kConfirmFraudType, "{not json"));
  CHECK_THROWS_AS(served.handle(bad_argument.SerializeAsString()), BadRequest);
}

TEST_CASE("served functions: missing states are asked for, and nothing runs") {
  ServedFunctions served(make_scenario({}));
  rr::ToFunction request = request_to("com.ververica.fn", "transaction-manager", "t1");
  add_state(request, "fraud_count");
  add_invocation(request, sim::protocol::int_value(3), "");
  const rr::FromFunction response = answer(served, request);
  REQUIRE(response.has_incomplete_invocation_context());
  const auto& missing = response.incomplete_invocation_context().missing_values();
  REQUIRE(missing.size() == 2);  // only the missing ones, in declaration order
  CHECK(missing[0].state_name() == "transaction");
  CHECK(missing[0].type_typename() == wire::kTransactionType);
  CHECK_FALSE(missing[0].has_expiration_spec());
  CHECK(missing[1].state_name() == "merchant_score");
  CHECK(missing[1].type_typename() == sim::protocol::kIntType);
}

TEST_CASE("served functions: FraudCount counts, sends its expiry after the window, and DELETEs at zero") {
  ServedFunctions served(make_scenario({"fraud.window=30d"}));
  rr::ToFunction first = request_to("com.ververica.fn", "counter", "acct-42");
  add_state(first, "fraud_count");
  add_invocation(first, confirm("acct-42"));
  const rr::FromFunction counted = answer(served, first);
  const auto& result = counted.invocation_result();
  REQUIRE(result.state_mutations_size() == 1);
  CHECK(result.state_mutations(0).mutation_type() == rr::FromFunction::PersistedValueMutation::MODIFY);
  CHECK(result.state_mutations(0).state_name() == "fraud_count");
  CHECK(sim::protocol::as_int(result.state_mutations(0).state_value()) == 1);
  REQUIRE(result.delayed_invocations_size() == 1);
  const auto& expiry = result.delayed_invocations(0);
  CHECK(expiry.delay_in_ms() == 2'592'000'000);
  CHECK(expiry.target().namespace_() == "com.ververica.fn");
  CHECK(expiry.target().type() == "counter");
  CHECK(expiry.target().id() == "acct-42");
  CHECK(sim::protocol::as_string(expiry.argument()) == "expire");
  CHECK(expiry.cancellation_token().empty());

  rr::ToFunction second = request_to("com.ververica.fn", "counter", "acct-42");
  add_state(second, "fraud_count", sim::protocol::int_value(1));
  add_invocation(second, sim::protocol::string_value("expire"));
  const rr::FromFunction expired = answer(served, second);
  REQUIRE(expired.invocation_result().state_mutations_size() == 1);
  const auto& deleted = expired.invocation_result().state_mutations(0);
  CHECK(deleted.mutation_type() == rr::FromFunction::PersistedValueMutation::DELETE);
  CHECK_FALSE(deleted.has_state_value());
  // DELETE is the proto3 default: on the wire it is the state name alone.
  CHECK(deleted.SerializeAsString() == std::string("\x12\x0b" "fraud_count"));
}

TEST_CASE("served functions: a batch runs in order, replying to each caller, with one mutation") {
  ServedFunctions served(make_scenario({}));
  rr::ToFunction request = request_to("com.ververica.fn", "counter", "acct-42");
  add_state(request, "fraud_count", sim::protocol::int_value(1));
  add_invocation(request, confirm("acct-42"));
  add_invocation(request, sim::protocol::string_value("query"), "t-a");
  add_invocation(request, sim::protocol::string_value("query"), "t-b");
  const rr::FromFunction response = answer(served, request);
  const auto& result = response.invocation_result();
  REQUIRE(result.state_mutations_size() == 1);
  CHECK(sim::protocol::as_int(result.state_mutations(0).state_value()) == 2);
  REQUIRE(result.outgoing_messages_size() == 2);
  CHECK(result.outgoing_messages(0).target().type() == "transaction-manager");
  CHECK(result.outgoing_messages(0).target().id() == "t-a");
  CHECK(result.outgoing_messages(1).target().id() == "t-b");
  CHECK(sim::protocol::as_int(result.outgoing_messages(1).argument()) == 2);
  CHECK(result.delayed_invocations_size() == 1);
}

TEST_CASE("served functions: an unchanged state gives no mutation, and the host keeps nothing") {
  ServedFunctions served(make_scenario({}));
  rr::ToFunction query = request_to("com.ververica.fn", "counter", "acct-1");
  add_state(query, "fraud_count", sim::protocol::int_value(4));
  add_invocation(query, sim::protocol::string_value("query"), "t1");
  const rr::FromFunction response = answer(served, query);
  const auto& first = response.invocation_result();
  CHECK(first.state_mutations_size() == 0);
  REQUIRE(first.outgoing_messages_size() == 1);
  CHECK(sim::protocol::as_int(first.outgoing_messages(0).argument()) == 4);
  // The same address again with no value: the count is 0, not the 4 of the last request.
  rr::ToFunction again = request_to("com.ververica.fn", "counter", "acct-1");
  add_state(again, "fraud_count");
  add_invocation(again, sim::protocol::string_value("query"), "t2");
  CHECK(sim::protocol::as_int(answer(served, again).invocation_result().outgoing_messages(0).argument()) == 0);
}

TEST_CASE("served functions: the weighted model scores the feature vector and replies to its caller") {
  ServedFunctions served(make_scenario({"model.kind=weighted", "model.bias=1", "model.weight_count=10",
                                        "model.weight_merchant=0", "model.weight_amount=0"}));
  rr::ToFunction request = request_to("com.ververica.ds", "model", "acct-1");
  add_invocation(request,
                 sim::protocol::custom_value(wire::kFeatureVectorType,
                                             "{\"count\":3,\"score\":50,\"amount\":100}"),
                 "t1");
  const rr::FromFunction response = answer(served, request);
  const auto& result = response.invocation_result();
  REQUIRE(result.outgoing_messages_size() == 1);
  CHECK(result.outgoing_messages(0).target().id() == "t1");
  CHECK(sim::protocol::as_int(result.outgoing_messages(0).argument()) == 31);
}

}  // namespace
}  // namespace fraudsim::testing
