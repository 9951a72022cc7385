// The runtime side of the request-reply protocol (RemoteFunction): state negotiation, mutations,
// outgoing, delayed and cancelled messages, egress, batches with their callers, retries and the
// failures that end the job, against a scripted function side.
#include <doctest/doctest.h>

#include "sim/remote/remote_function.h"
#include "sim/protocol/typed_value.h"
#include "tests/remote_test_support.h"
#include "tests/test_support.h"

namespace fraudsim::testing {
namespace {

using sim::kMillisecond;
using sim::kSecond;
constexpr const char* kUrl = "http://127.0.0.1:9/statefun";

class FixedLatency : public sim::CallEndpoint {
 public:
  sim::CallAttempt attempt(sim::Time, const sim::Address&, std::uint64_t, int, std::size_t) override {
    return {5 * kMillisecond, true, ""};
  }
};

// Forwards whatever it receives to remote/fn#x, so the remote function sees a caller.
class Forwarder : public sim::StatefulFunction {
 public:
  void invoke(sim::Context& context, const sim::Message& message) override {
    context.send(sim::Address{"remote/fn", "x"}, message);
  }
};

struct Fixture {
  Fixture() {
    remote_type = runtime.declare_type("remote/fn");
    recorder_type = runtime.declare_type("local/recorder");
    forwarder_type = runtime.declare_type("local/forwarder");
    runtime.bind(recorder_type, &recorder);
    runtime.bind(forwarder_type, &forwarder);
    runtime.bind_egress("out", &egress);
    sim::CallPolicy policy;
    policy.call_timeout = 10 * kSecond;
    runtime.bind_remote(remote_type, &function, &endpoint, policy);
  }
  void ingest(sim::Time at, const std::string& text, const std::string& id = "x") {
    runtime.ingest(at, remote_type, id, sim::make_message(sim::protocol::string_value(text)));
  }
  const sim::CallStatistics& calls() const { return runtime.type_statistics()[remote_type].calls; }

  sim::Runtime runtime;
  IdentityConventions conventions;
  ScriptedTransport transport;
  sim::remote::RemoteFunction function{kUrl, conventions, transport};
  FixedLatency endpoint;
  std::vector<Received> received;
  Recorder recorder{received};
  Forwarder forwarder;
  RecordingEgress egress;
  sim::TypeId remote_type{}, recorder_type{}, forwarder_type{};
};

rr::FromFunction missing_state(const std::string& name, std::int64_t ttl_ms = 0) {
  rr::FromFunction answer;
  auto& spec = *answer.mutable_incomplete_invocation_context()->add_missing_values();
  spec.set_state_name(name);
  spec.set_type_typename(std::string(sim::protocol::kIntType));
  if (ttl_ms > 0) {
    spec.mutable_expiration_spec()->set_mode(rr::FromFunction::ExpirationSpec::AFTER_WRITE);
    spec.mutable_expiration_spec()->set_expire_after_millis(ttl_ms);
  }
  return answer;
}

rr::FromFunction modify(const std::string& name, int value) {
  rr::FromFunction answer;
  auto& m = *answer.mutable_invocation_result()->add_state_mutations();
  m.set_mutation_type(rr::FromFunction::PersistedValueMutation::MODIFY);
  m.set_state_name(name);
  *m.mutable_state_value() = sim::protocol::int_value(value);
  return answer;
}

rr::FromFunction remove(const std::string& name) {
  rr::FromFunction answer;
  answer.mutable_invocation_result()->add_state_mutations()->set_state_name(name);
  return answer;
}

void set_address(rr::Address& a, const std::string& ns, const std::string& type, const std::string& id) {
  a.set_namespace_(ns);
  a.set_type(type);
  a.set_id(id);
}

TEST_CASE("remote function: the first call registers the missing state and is sent again") {
  Fixture f;
  f.transport.script = {ok(missing_state("count")), ok(modify("count", 1)), ok(rr::FromFunction{})};
  f.ingest(0, "one");
  f.ingest(kSecond, "two");
  f.runtime.run_until(2 * kSecond);
  REQUIRE(f.transport.requests.size() == 3);
  const auto& first = f.transport.requests[0].invocation();
  CHECK(first.target().namespace_() == "remote");
  CHECK(first.target().type() == "fn");
  CHECK(first.target().id() == "x");
  CHECK(first.state_size() == 0);
  // The resend carries the registered state, with no value yet, and the same invocation.
  const auto& resent = f.transport.requests[1].invocation();
  REQUIRE(resent.state_size() == 1);
  CHECK(resent.state(0).state_name() == "count");
  CHECK_FALSE(resent.state(0).has_state_value());
  CHECK(resent.invocations(0).argument().SerializeAsString() ==
        first.invocations(0).argument().SerializeAsString());
  // The next call carries the value the MODIFY stored, bytes as sent.
  const auto& next = f.transport.requests[2].invocation();
  REQUIRE(next.state_size() == 1);
  CHECK(sim::protocol::as_int(next.state(0).state_value()) == 1);
  CHECK(f.calls().resends == 1);
  CHECK(f.calls().retries == 0);
  CHECK(f.calls().failed_attempts == 0);
  REQUIRE(f.function.registered_states().size() == 1);
  CHECK(f.function.registered_states()[0].type_name == sim::protocol::kIntType);
}

TEST_CASE("remote function: DELETE clears the state, and only addresses holding a value take room") {
  Fixture f;
  f.transport.script = {ok(missing_state("count")), ok(modify("count", 1)), ok(remove("count")),
                        ok(rr::FromFunction{})};
  f.ingest(0, "a");
  f.ingest(kSecond, "b");
  f.runtime.run_until(kSecond - 1);
  CHECK(f.function.addresses_with_state() == 1);
  f.ingest(2 * kSecond, "c");
  f.runtime.run_until(3 * kSecond);
  REQUIRE(f.transport.requests.size() == 4);
  CHECK(sim::protocol::as_int(f.transport.requests[2].invocation().state(0).state_value()) == 1);
  CHECK_FALSE(f.transport.requests[3].invocation().state(0).has_state_value());
  CHECK(f.function.addresses_with_state() == 0);
}

TEST_CASE("remote function: a state with a TTL is not sent once it has expired") {
  Fixture f;
  f.transport.script = {ok(missing_state("score", 1000)), ok(modify("score", 7))};
  f.ingest(0, "a");
  f.ingest(500 * kMillisecond, "b");        // 495 ms after the write: still there
  f.ingest(1100 * kMillisecond, "c");       // 1095 ms after: gone
  f.runtime.run_until(2 * kSecond);
  REQUIRE(f.transport.requests.size() == 4);
  CHECK(f.transport.requests[2].invocation().state(0).has_state_value());
  CHECK_FALSE(f.transport.requests[3].invocation().state(0).has_state_value());
}

TEST_CASE("remote function: outgoing, delayed and egress messages are applied; a cancellation "
          "stops a delayed message") {
  Fixture f;
  rr::FromFunction first;
  auto& result = *first.mutable_invocation_result();
  auto& out = *result.add_outgoing_messages();
  set_address(*out.mutable_target(), "local", "recorder", "r1");
  *out.mutable_argument() = sim::protocol::string_value("hello");
  auto& later = *result.add_delayed_invocations();
  later.set_delay_in_ms(10'000);
  set_address(*later.mutable_target(), "local", "recorder", "r2");
  *later.mutable_argument() = sim::protocol::string_value("cancelled");
  later.set_cancellation_token("t1");
  auto& kept = *result.add_delayed_invocations();
  kept.set_delay_in_ms(20'000);
  set_address(*kept.mutable_target(), "local", "recorder", "r3");
  *kept.mutable_argument() = sim::protocol::string_value("kept");
  auto& egress = *result.add_outgoing_egresses();
  egress.set_egress_namespace("io");
  egress.set_egress_type("out");
  *egress.mutable_argument() = sim::protocol::string_value("alert");
  rr::FromFunction second;
  auto& cancel = *second.mutable_invocation_result()->add_delayed_invocations();
  cancel.set_is_cancellation_request(true);
  cancel.set_cancellation_token("t1");
  f.transport.script = {ok(first), ok(second)};
  f.ingest(0, "go");
  f.ingest(kSecond, "stop");
  f.runtime.run_until(30 * kSecond);

  REQUIRE(f.received.size() == 2);
  CHECK(f.received[0].to.id == "r1");
  CHECK(f.received[0].time == 5 * kMillisecond + kMillisecond);  // answer, then one hop
  CHECK(f.received[0].from->type == "remote/fn");
  CHECK(f.received[1].to.id == "r3");
  CHECK(f.received[1].time == 5 * kMillisecond + 20 * kSecond);
  REQUIRE(f.egress.emitted.size() == 1);
  CHECK(f.egress.emitted[0].time == 5 * kMillisecond);
}

TEST_CASE("remote function: a batch carries every invocation in order, each with its caller") {
  Fixture f;
  for (const char* id : {"a", "b", "c"}) {
    f.runtime.ingest(0, f.forwarder_type, id, sim::make_message(sim::protocol::string_value(id)));
  }
  f.runtime.run_until(kSecond);
  REQUIRE(f.transport.requests.size() == 2);
  CHECK(f.transport.requests[0].invocation().invocations_size() == 1);
  const auto& batch = f.transport.requests[1].invocation();
  REQUIRE(batch.invocations_size() == 2);
  CHECK(batch.invocations(0).caller().namespace_() == "local");
  CHECK(batch.invocations(0).caller().type() == "forwarder");
  CHECK(batch.invocations(0).caller().id() == "b");
  CHECK(batch.invocations(1).caller().id() == "c");
  CHECK(sim::protocol::as_string(batch.invocations(1).argument()) == "c");
  CHECK(f.calls().largest_batch == 2);
}

TEST_CASE("remote function: an ingress message is sent with no caller") {
  Fixture f;
  f.ingest(0, "a");
  f.runtime.run_until(kSecond);
  REQUIRE(f.transport.requests.size() == 1);
  CHECK_FALSE(f.transport.requests[0].invocation().invocations(0).has_caller());
}

TEST_CASE("remote function: HTTP 500 and a refused connection are retried until the call timeout") {
  for (int code : {500, 503, 429, 0}) {
    CAPTURE(code);
    Fixture f;
    f.transport.answer_for = [code](const rr::ToFunction&) { return status(code); };
    f.ingest(0, "a");
    f.runtime.run_until(sim::kMinute);
    REQUIRE(f.runtime.failure());
    CHECK(f.runtime.failure()->time == 10 * kSecond);
    CHECK(f.calls().attempts > 5);
    CHECK(f.calls().retries == f.calls().attempts - 1);
    CHECK(f.runtime.failure()->cause.find("remote/fn/x") != std::string::npos);
    CHECK(f.runtime.failure()->cause.find(kUrl) != std::string::npos);
  }
}

TEST_CASE("remote function: HTTP 404 is not retried and fails the job at once") {
  Fixture f;
  f.transport.script = {status(404)};
  f.ingest(0, "a");
  f.runtime.run_until(sim::kMinute);
  REQUIRE(f.runtime.failure());
  CHECK(f.runtime.failure()->time == 5 * kMillisecond);
  CHECK(f.calls().attempts == 1);
  const std::string& cause = f.runtime.failure()->cause;
  CHECK(cause.find("HTTP 404") != std::string::npos);
  CHECK(cause.find("remote/fn/x") != std::string::npos);
  CHECK(cause.find(kUrl) != std::string::npos);
}

TEST_CASE("remote function: an answer that cannot be read fails the job naming endpoint and address") {
  rr::FromFunction valid = modify("count", 5);
  const std::string bytes = valid.SerializeAsString();
  for (const std::string& body : {std::string("\xff\xff\xff garbage"), bytes.substr(0, bytes.size() - 3)}) {
    Fixture f;
    f.transport.script = {sim::remote::HttpAnswer{200, "", body}};
    f.ingest(0, "a");
    f.runtime.run_until(sim::kMinute);
    REQUIRE(f.runtime.failure());
    CHECK(f.runtime.failure()->cause.find("not a FromFunction") != std::string::npos);
    CHECK(f.runtime.failure()->cause.find("remote/fn/x") != std::string::npos);
    CHECK(f.runtime.failure()->cause.find(kUrl) != std::string::npos);
  }
}

TEST_CASE("remote function: an empty 200 body is an empty response") {
  Fixture f;
  f.transport.script = {sim::remote::HttpAnswer{200, "", ""}};
  f.ingest(0, "a");
  f.runtime.run_until(sim::kMinute);
  CHECK_FALSE(f.runtime.failure());
  CHECK(f.calls().completed_calls == 1);
}

TEST_CASE("remote function: an answer naming an unknown function type or a bad value is refused whole") {
  SUBCASE("unknown function type") {
    Fixture f;
    rr::FromFunction answer;
    auto& fine = *answer.mutable_invocation_result()->add_outgoing_messages();
    set_address(*fine.mutable_target(), "local", "recorder", "r1");
    *fine.mutable_argument() = sim::protocol::string_value("fine");
    auto& bad = *answer.mutable_invocation_result()->add_outgoing_messages();
    set_address(*bad.mutable_target(), "no", "such", "r1");
    *bad.mutable_argument() = sim::protocol::string_value("lost");
    f.transport.script = {ok(answer)};
    f.ingest(0, "a");
    f.runtime.run_until(sim::kMinute);
    REQUIRE(f.runtime.failure());
    CHECK(f.runtime.failure()->cause.find("unknown function type 'no/such'") != std::string::npos);
    CHECK(f.received.empty());  // nothing of the answer was applied
  }
  SUBCASE("a value the conventions cannot read") {
    Fixture f;
    rr::FromFunction answer;
    auto& bad = *answer.mutable_invocation_result()->add_outgoing_messages();
    set_address(*bad.mutable_target(), "local", "recorder", "r1");
    *bad.mutable_argument() = sim::protocol::custom_value("test/unreadable", "x");
    f.transport.script = {ok(answer)};
    f.ingest(0, "a");
    f.runtime.run_until(sim::kMinute);
    REQUIRE(f.runtime.failure());
    CHECK(f.runtime.failure()->cause.find("unreadable on purpose") != std::string::npos);
  }
  SUBCASE("a state stored with another type") {
    Fixture f;
    rr::FromFunction wrong = modify("count", 1);
    wrong.mutable_invocation_result()->mutable_state_mutations(0)->mutable_state_value()->set_typename_("x/y");
    f.transport.script = {ok(missing_state("count")), ok(wrong)};
    f.ingest(0, "a");
    f.runtime.run_until(sim::kMinute);
    REQUIRE(f.runtime.failure());
    CHECK(f.runtime.failure()->cause.find("state 'count' of type") != std::string::npos);
  }
  SUBCASE("a state asked for again") {
    Fixture f;
    f.transport.script = {ok(missing_state("count")), ok(missing_state("count"))};
    f.ingest(0, "a");
    f.runtime.run_until(sim::kMinute);
    REQUIRE(f.runtime.failure());
    CHECK(f.runtime.failure()->cause.find("asks again") != std::string::npos);
  }
}

}  // namespace
}  // namespace fraudsim::testing
