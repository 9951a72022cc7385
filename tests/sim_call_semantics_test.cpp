// Call semantics of functions bound with bind_remote: retries with exponential backoff until the
// call timeout, the job failure at the timeout, batching while a call is in flight, and what a
// handler learns about the call that delivered its message.
#include <doctest/doctest.h>

#include <vector>

#include <google/protobuf/descriptor.pb.h>

#include "sim/runtime.h"

namespace sim {
namespace {

// An endpoint whose attempts fail (or succeed) as told, recording when each started.
class ScriptedEndpoint : public CallEndpoint {
 public:
  // Attempts whose 0-based number across all calls is below `failures` fail.
  ScriptedEndpoint(Time latency, int failures) : latency_(latency), failures_(failures) {}
  CallAttempt attempt(Time now, const Address&, std::uint64_t, int attempt,
                      std::size_t batch_size) override {
    starts.push_back(now);
    attempt_numbers.push_back(attempt);
    batch_sizes.push_back(batch_size);
    const bool succeeded = static_cast<int>(starts.size()) > failures_;
    return {latency_, succeeded, succeeded ? "" : "connection refused"};
  }
  std::vector<Time> starts;
  std::vector<int> attempt_numbers;
  std::vector<std::size_t> batch_sizes;

 private:
  Time latency_;
  int failures_;
};

// Records each message it handles, with the call that delivered it.
struct Handled {
  Time time;
  std::string text;
  CallInfo call;
};

class RecordingFunction : public StatefulFunction {
 public:
  void invoke(Context& context, const Message& message) override {
    handled.push_back({context.now(), message ? message->ShortDebugString() : "",
                       context.call() ? *context.call() : CallInfo{}});
  }
  std::vector<Handled> handled;
};

Message text_message(const std::string& text) {
  // Any protobuf message will do: a descriptor proto's name carries the text.
  google::protobuf::FileDescriptorProto proto;
  proto.set_name(text);
  return make_message(std::move(proto));
}

struct Fixture {
  Runtime runtime{RuntimeOptions{kMillisecond}};
  RecordingFunction function;
  TypeId type = runtime.declare_type("test/remote");
};

}  // namespace

TEST_CASE("a call that keeps failing is retried after 10 ms, doubling, and fails the job at the call timeout exactly") {
  Fixture f;
  ScriptedEndpoint endpoint(/*latency=*/kMillisecond, /*failures=*/1000);
  CallPolicy policy;  // 10 ms doubling, 1 min timeout
  f.runtime.bind_remote(f.type, &f.function, &endpoint, policy);
  const Time t0 = 5 * kSecond;
  f.runtime.ingest(t0, f.type, "a", text_message("m"));
  f.runtime.run_until(10 * kMinute);

  // Attempt k starts when attempt k-1's failure (1 ms after its start) has waited 10 ms * 2^(k-1).
  std::vector<Time> expected{t0};
  Time backoff = 10 * kMillisecond;
  while (true) {
    const Time next = expected.back() + kMillisecond + backoff;
    if (next >= t0 + kMinute) break;
    expected.push_back(next);
    backoff *= 2;
  }
  CHECK(endpoint.starts == expected);
  CHECK(expected.size() == 13);  // 0, 11 ms, 32 ms, 73 ms, ... the last 40.962 s after t0
  CHECK(expected.back() == t0 + 40'962 * kMillisecond);
  REQUIRE(f.runtime.failure().has_value());
  CHECK(f.runtime.failure()->time == t0 + kMinute);
  CHECK(f.runtime.failure()->cause.find("test/remote/a") != std::string::npos);
  CHECK(f.runtime.failure()->cause.find("connection refused") != std::string::npos);
  CHECK(f.function.handled.empty());
  CHECK(f.runtime.type_statistics()[f.type].calls.retries == 12);
  CHECK(f.runtime.type_statistics()[f.type].calls.failed_attempts == 13);
  // Backoff is counted as it is waited, even though the call never succeeds: 10 ms + ... + 20.48 s.
  CHECK(f.runtime.type_statistics()[f.type].calls.backoff_waited == 40'950 * kMillisecond);
}

TEST_CASE("a backoff multiplier other than two grows the waits by that factor") {
  Fixture f;
  ScriptedEndpoint endpoint(/*latency=*/0, /*failures=*/3);
  CallPolicy policy;
  policy.backoff_initial = 100 * kMillisecond;
  policy.backoff_multiplier = 1.5;
  f.runtime.bind_remote(f.type, &f.function, &endpoint, policy);
  f.runtime.ingest(0, f.type, "a", text_message("m"));
  f.runtime.run_until(kMinute);
  CHECK(endpoint.starts == std::vector<Time>{0, 100 * kMillisecond, 250 * kMillisecond, 475 * kMillisecond});
}

TEST_CASE("after a job failure nothing else runs") {
  Fixture f;
  ScriptedEndpoint endpoint(kMillisecond, 1000);
  CallPolicy policy;
  policy.call_timeout = kSecond;
  f.runtime.bind_remote(f.type, &f.function, &endpoint, policy);
  f.runtime.ingest(0, f.type, "a", text_message("first"));
  f.runtime.ingest(2 * kSecond, f.type, "b", text_message("after the failure"));
  f.runtime.run_until(kMinute);
  REQUIRE(f.runtime.failure().has_value());
  CHECK(f.runtime.failure()->time == kSecond);
  CHECK(f.runtime.now() == kSecond);
  for (Time start : endpoint.starts) CHECK(start < kSecond);
}

TEST_CASE("an attempt still unanswered at the call timeout fails the job at the timeout") {
  Fixture f;
  ScriptedEndpoint endpoint(/*latency=*/kNever, /*failures=*/0);
  f.runtime.bind_remote(f.type, &f.function, &endpoint, CallPolicy{});
  f.runtime.ingest(kSecond, f.type, "a", text_message("m"));
  f.runtime.run_until(kHour);
  CHECK(endpoint.starts.size() == 1);
  REQUIRE(f.runtime.failure().has_value());
  CHECK(f.runtime.failure()->time == kSecond + kMinute);
  // The abandoned attempt counts as failed.
  CHECK(f.runtime.type_statistics()[f.type].calls.failed_attempts == 1);
}

TEST_CASE("a call that succeeds after failures delivers its message once, with its attempts and backoff") {
  Fixture f;
  ScriptedEndpoint endpoint(/*latency=*/2 * kMillisecond, /*failures=*/3);
  f.runtime.bind_remote(f.type, &f.function, &endpoint, CallPolicy{});
  f.runtime.ingest(0, f.type, "a", text_message("m"));
  f.runtime.run_until(kMinute);
  CHECK_FALSE(f.runtime.failure().has_value());
  // Attempts at 0, 12, 34, 76 ms (2 ms to fail, then 10, 20, 40 ms of backoff); the 4th answers
  // 2 ms after it starts.
  CHECK(endpoint.starts == std::vector<Time>{0, 12 * kMillisecond, 34 * kMillisecond, 76 * kMillisecond});
  REQUIRE(f.function.handled.size() == 1);
  CHECK(f.function.handled[0].time == 78 * kMillisecond);
  CHECK(f.function.handled[0].call.attempts == 4);
  CHECK(f.function.handled[0].call.backoff_waited == 70 * kMillisecond);
  CHECK(f.function.handled[0].call.started == 0);
  CHECK(f.function.handled[0].call.batch_size == 1);
}

TEST_CASE("messages arriving while a call is in flight go together in the next call, in arrival order") {
  Fixture f;
  ScriptedEndpoint endpoint(/*latency=*/100 * kMillisecond, /*failures=*/0);
  f.runtime.bind_remote(f.type, &f.function, &endpoint, CallPolicy{});
  f.runtime.ingest(0, f.type, "a", text_message("m0"));
  for (int i = 1; i <= 4; ++i) {
    f.runtime.ingest(i * 10 * kMillisecond, f.type, "a", text_message("m" + std::to_string(i)));
  }
  f.runtime.run_until(kSecond);
  CHECK(endpoint.batch_sizes == std::vector<std::size_t>{1, 4});
  CHECK(endpoint.starts == std::vector<Time>{0, 100 * kMillisecond});
  REQUIRE(f.function.handled.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(f.function.handled[i].text.find("m" + std::to_string(i)) != std::string::npos);
  }
  CHECK(f.function.handled[0].time == 100 * kMillisecond);
  for (int i = 1; i < 5; ++i) CHECK(f.function.handled[i].time == 200 * kMillisecond);
  CHECK(f.runtime.type_statistics()[f.type].calls.largest_batch == 4);
}

TEST_CASE("the batch limit holds: the rest waits for the following call") {
  Fixture f;
  ScriptedEndpoint endpoint(100 * kMillisecond, 0);
  CallPolicy policy;
  policy.max_batch = 2;
  f.runtime.bind_remote(f.type, &f.function, &endpoint, policy);
  for (int i = 0; i < 6; ++i) {
    f.runtime.ingest(i * kMillisecond, f.type, "a", text_message("m" + std::to_string(i)));
  }
  f.runtime.run_until(kSecond);
  CHECK(endpoint.batch_sizes == std::vector<std::size_t>{1, 2, 2, 1});
  REQUIRE(f.function.handled.size() == 6);
  for (int i = 0; i < 6; ++i) {
    CHECK(f.function.handled[i].text.find("m" + std::to_string(i)) != std::string::npos);
  }
}

TEST_CASE("calls to different addresses of one type run side by side") {
  Fixture f;
  ScriptedEndpoint endpoint(100 * kMillisecond, 0);
  f.runtime.bind_remote(f.type, &f.function, &endpoint, CallPolicy{});
  f.runtime.ingest(0, f.type, "a", text_message("for a"));
  f.runtime.ingest(0, f.type, "b", text_message("for b"));
  f.runtime.run_until(kSecond);
  CHECK(endpoint.starts == std::vector<Time>{0, 0});
  CHECK(f.runtime.type_statistics()[f.type].calls.peak_in_flight == 2);
  CHECK(f.runtime.live_addresses() == 0);
}

TEST_CASE("a retried batch keeps its messages; arrivals during the retries form the next batch") {
  Fixture f;
  ScriptedEndpoint endpoint(kMillisecond, /*failures=*/2);
  f.runtime.bind_remote(f.type, &f.function, &endpoint, CallPolicy{});
  f.runtime.ingest(0, f.type, "a", text_message("first"));
  f.runtime.ingest(5 * kMillisecond, f.type, "a", text_message("second"));
  f.runtime.run_until(kSecond);
  // Attempts: 0 (fails at 1 ms), 11 ms (fails at 12), 32 ms succeeds at 33; then the next call.
  CHECK(endpoint.batch_sizes == std::vector<std::size_t>{1, 1, 1, 1});
  CHECK(endpoint.starts == std::vector<Time>{0, 11 * kMillisecond, 32 * kMillisecond, 33 * kMillisecond});
  REQUIRE(f.function.handled.size() == 2);
  CHECK(f.function.handled[0].text.find("first") != std::string::npos);
  CHECK(f.function.handled[0].call.attempts == 3);
  CHECK(f.function.handled[1].text.find("second") != std::string::npos);
  CHECK(f.function.handled[1].call.attempts == 1);
  CHECK(f.function.handled[1].time == 34 * kMillisecond);
}

}  // namespace sim
