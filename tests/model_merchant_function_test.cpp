#include "model/merchant_function.h"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/merchant_service.h"
#include "model/messages.pb.h"
#include "model/pipeline_types.h"
#include "test_support.h"

namespace fraudsim {
namespace {

using sim::AsyncStatus;
using testing::RecordingEgress;
using workshop::MerchantScore;
using workshop::QueryMerchantScore;

constexpr sim::Time kHop = sim::kMillisecond;  // the runtime's default hop latency
const std::string kMerchant = "Cedarmarket";

struct Reply {
  sim::Time time;
  std::string caller;  // the asker's id
  sim::Address from;
  int score;
  bool error;
};

// Stands in for a transaction manager: poked from ingress, it asks merchant/<kMerchant> for a
// score and keeps the answer.
class ScoreAsker : public sim::StatefulFunction {
 public:
  explicit ScoreAsker(sim::TypeId merchant) : merchant_(merchant) {}
  void invoke(sim::Context& context, const sim::Message& message) override {
    if (const auto* score = sim::message_as<MerchantScore>(message)) {
      replies.push_back(
          {context.now(), context.self_id(), context.caller(), score->score(), score->error()});
      return;
    }
    context.send(merchant_, kMerchant, sim::make_message(QueryMerchantScore{}));
  }
  std::vector<Reply> replies;

 private:
  sim::TypeId merchant_;
};

class MerchantLog : public PipelineObserver {
 public:
  void on_merchant_attempt(sim::Time, sim::AsyncStatus status) override { attempts.push_back(status); }
  void on_merchant_reply(sim::Time, std::string_view, bool error, int, sim::Time) override {
    reply_errors.push_back(error);
  }
  std::vector<AsyncStatus> attempts;
  std::vector<bool> reply_errors;
};

MerchantServiceSettings service_settings(double failure, double unknown = 0.0) {
  MerchantServiceSettings settings;
  settings.failure_probability = failure;
  settings.unknown_probability = unknown;
  return settings;
}

// As MerchantFunction keys the service's draws: by the asking caller's id and the merchant.
std::uint64_t query_key(const std::string& caller_id) {
  return sim::combine_keys(sim::entity_key(caller_id), sim::entity_key(kMerchant));
}

struct MerchantBench {
  sim::Runtime runtime;
  RecordingEgress alerts;
  PipelineTypes types = declare_pipeline_types(runtime, &alerts);
  MerchantService service;
  MerchantLog observer;
  MerchantFunction merchant;
  ScoreAsker asker{types.merchant};

  MerchantBench(const MerchantServiceSettings& settings, int attempts, MerchantCache cache = {})
      : service(settings, /*seed=*/1),
        merchant(service, MerchantRetryPolicy{.attempts = attempts}, sim::make_stream(1, "merchant.backoff"),
                 observer, cache) {
    runtime.bind(types.merchant, &merchant);
    runtime.bind(types.transaction_manager, &asker);
  }

  // The asker `caller_id` sends its query at `at`; it reaches the merchant one hop later.
  void ask(sim::Time at, const std::string& caller_id) {
    runtime.ingest(at, types.transaction_manager, caller_id, sim::make_message(QueryMerchantScore{}));
  }

  sim::AsyncOutcome predicted(const std::string& caller_id, int try_number) const {
    return service.attempt(0, query_key(caller_id), try_number);
  }

  std::uint64_t merchant_invocations() const {
    return runtime.type_statistics()[types.merchant].invocations;
  }
};

int score_of(const sim::AsyncOutcome& outcome) {
  const auto* score = sim::message_as<MerchantScore>(outcome.value);
  REQUIRE(score != nullptr);
  return score->score();
}

// A caller id whose query the service answers with exactly `statuses` on its first tries.
std::string find_caller(const MerchantService& service, const std::vector<AsyncStatus>& statuses) {
  for (int i = 0; i < 100000; ++i) {
    const std::string caller = "tx" + std::to_string(i);
    bool match = true;
    for (std::size_t t = 0; t < statuses.size() && match; ++t) {
      match = service.attempt(0, query_key(caller), static_cast<int>(t)).status == statuses[t];
    }
    if (match) return caller;
  }
  FAIL("no caller id gives the wanted sequence of outcomes");
  return {};
}

TEST_CASE("the merchant service draws the same outcome for the same query and try") {
  const MerchantService service(service_settings(0.5), /*seed=*/1);
  const sim::AsyncOutcome a = service.attempt(0, query_key("tx1"), 0);
  const sim::AsyncOutcome b = service.attempt(0, query_key("tx1"), 0);
  CHECK(a.delay == b.delay);
  CHECK(a.status == b.status);
  CHECK(a.delay >= 0);
  CHECK(a.delay < 5000 * sim::kMillisecond);
  // Different tries are different draws.
  bool differs = false;
  for (int t = 1; t < 10; ++t) differs |= service.attempt(0, query_key("tx1"), t).delay != a.delay;
  CHECK(differs);
}

TEST_CASE("a successful first attempt replies with the service's score to the original caller") {
  MerchantBench bench(service_settings(0.0), 3);
  bench.ask(0, "tx1");
  bench.runtime.run_until(sim::kMinute);

  const sim::AsyncOutcome first = bench.predicted("tx1", 0);
  REQUIRE(first.status == AsyncStatus::kSuccess);
  REQUIRE(bench.asker.replies.size() == 1);
  const Reply& reply = bench.asker.replies[0];
  CHECK(reply.caller == "tx1");
  CHECK(reply.from == sim::Address{std::string(kMerchantType), kMerchant});
  CHECK_FALSE(reply.error);
  CHECK(reply.score == score_of(first));
  // Query hop, the service's latency, reply hop.
  CHECK(reply.time == kHop + first.delay + kHop);

  CHECK(bench.observer.attempts == std::vector<AsyncStatus>{AsyncStatus::kSuccess});
  CHECK(bench.observer.reply_errors == std::vector<bool>{false});
  CHECK(bench.merchant_invocations() == 2);  // the query and one completion
}

TEST_CASE("a failed first attempt is retried and the second attempt's score is replied") {
  MerchantBench bench(service_settings(0.5), 3);
  const std::string caller =
      find_caller(bench.service, {AsyncStatus::kFailure, AsyncStatus::kSuccess});
  bench.ask(0, caller);
  bench.runtime.run_until(sim::kMinute);

  const sim::AsyncOutcome first = bench.predicted(caller, 0);
  const sim::AsyncOutcome second = bench.predicted(caller, 1);
  REQUIRE(bench.asker.replies.size() == 1);
  const Reply& reply = bench.asker.replies[0];
  CHECK(reply.caller == caller);
  CHECK_FALSE(reply.error);
  CHECK(reply.score == score_of(second));
  CHECK(reply.time == kHop + first.delay + second.delay + kHop);
  CHECK(bench.observer.attempts ==
        std::vector<AsyncStatus>{AsyncStatus::kFailure, AsyncStatus::kSuccess});
  CHECK(bench.observer.reply_errors == std::vector<bool>{false});
}

TEST_CASE("three failed attempts give the caller an error reply and no fourth attempt") {
  MerchantBench bench(service_settings(1.0), 3);
  bench.ask(0, "tx1");
  bench.runtime.run_until(sim::kDay);

  REQUIRE(bench.asker.replies.size() == 1);
  const Reply& reply = bench.asker.replies[0];
  CHECK(reply.caller == "tx1");
  CHECK(reply.error);
  CHECK(reply.score == 0);
  sim::Time latencies = 0;
  for (int t = 0; t < 3; ++t) latencies += bench.predicted("tx1", t).delay;
  CHECK(reply.time == kHop + latencies + kHop);

  CHECK(bench.observer.attempts == std::vector<AsyncStatus>(3, AsyncStatus::kFailure));
  CHECK(bench.observer.reply_errors == std::vector<bool>{true});
  CHECK(bench.merchant_invocations() == 4);
  CHECK(bench.runtime.pending_events() == 0);
  CHECK(bench.runtime.live_addresses() == 0);
}

TEST_CASE("the merchant function never makes more attempts than it was given") {
  for (const int attempts : {1, 2, 5}) {
    CAPTURE(attempts);
    MerchantBench bench(service_settings(1.0), attempts);
    bench.ask(0, "tx1");
    bench.runtime.run_until(sim::kDay);
    CHECK(bench.observer.attempts.size() == static_cast<std::size_t>(attempts));
    REQUIRE(bench.asker.replies.size() == 1);
    CHECK(bench.asker.replies[0].error);
  }
}

TEST_CASE("an unknown result is queried again without using up an attempt") {
  SUBCASE("unknown then success, with a single attempt allowed") {
    MerchantBench bench(service_settings(0.0, 0.5), 1);
    const std::string caller =
        find_caller(bench.service, {AsyncStatus::kUnknown, AsyncStatus::kSuccess});
    bench.ask(0, caller);
    bench.runtime.run_until(sim::kMinute);

    REQUIRE(bench.asker.replies.size() == 1);
    CHECK_FALSE(bench.asker.replies[0].error);
    // The second query is try 1 of the service: unknown results are counted in the tries.
    CHECK(bench.asker.replies[0].score == score_of(bench.predicted(caller, 1)));
    CHECK(bench.asker.replies[0].time ==
          kHop + bench.predicted(caller, 0).delay + bench.predicted(caller, 1).delay + kHop);
    CHECK(bench.observer.attempts ==
          std::vector<AsyncStatus>{AsyncStatus::kUnknown, AsyncStatus::kSuccess});
  }
  SUBCASE("unknowns around failures still allow every attempt") {
    MerchantBench bench(service_settings(0.4, 0.4), 2);
    const std::string caller = find_caller(
        bench.service, {AsyncStatus::kUnknown, AsyncStatus::kFailure, AsyncStatus::kUnknown,
                        AsyncStatus::kFailure});
    bench.ask(0, caller);
    bench.runtime.run_until(sim::kMinute);

    REQUIRE(bench.asker.replies.size() == 1);
    CHECK(bench.asker.replies[0].error);
    CHECK(bench.observer.attempts.size() == 4);
    sim::Time latencies = 0;
    for (int t = 0; t < 4; ++t) latencies += bench.predicted(caller, t).delay;
    CHECK(bench.asker.replies[0].time == kHop + latencies + kHop);
  }
}

// Replays the function's rule on the service's draws: the reply each caller should get.
struct Expected {
  sim::Time time;
  std::optional<int> score;  // none for an error reply
  int service_calls;
};

Expected expected_reply(const MerchantService& service, const std::string& caller, int attempts,
                        sim::Time asked_at) {
  sim::Time at = asked_at + kHop;
  int remaining = attempts;
  for (int t = 0;; ++t) {
    const sim::AsyncOutcome outcome = service.attempt(0, query_key(caller), t);
    at += outcome.delay;
    if (outcome.status == AsyncStatus::kSuccess) return {at + kHop, score_of(outcome), t + 1};
    if (outcome.status == AsyncStatus::kFailure && --remaining == 0) {
      return {at + kHop, std::nullopt, t + 1};
    }
  }
}

TEST_CASE("concurrent queries to one merchant each get their own reply, as the service decided") {
  const int attempts = 3;
  MerchantBench bench(service_settings(0.5, 0.1), attempts);
  std::map<std::string, Expected> expected;
  std::size_t service_calls = 0;
  int errors = 0;
  for (int i = 0; i < 60; ++i) {
    const std::string caller = "tx" + std::to_string(i);
    const sim::Time asked_at = (i % 3) * sim::kMillisecond;
    bench.ask(asked_at, caller);
    expected[caller] = expected_reply(bench.service, caller, attempts, asked_at);
    service_calls += static_cast<std::size_t>(expected[caller].service_calls);
    if (!expected[caller].score) ++errors;
  }
  // With these odds, 60 queries include both outcomes; otherwise the test proves little.
  REQUIRE(errors > 0);
  REQUIRE(errors < 60);

  bench.runtime.run_until(sim::kHour);
  REQUIRE(bench.asker.replies.size() == expected.size());
  std::map<std::string, int> replies_per_caller;
  for (const Reply& reply : bench.asker.replies) {
    CAPTURE(reply.caller);
    ++replies_per_caller[reply.caller];
    const Expected& e = expected.at(reply.caller);
    CHECK(reply.time == e.time);
    CHECK(reply.error == !e.score.has_value());
    if (e.score) CHECK(reply.score == *e.score);
  }
  CHECK(replies_per_caller.size() == expected.size());
  CHECK(bench.observer.attempts.size() == service_calls);
  CHECK(bench.observer.reply_errors.size() == expected.size());
}

TEST_CASE("a cached score answers queries at once until the cache expires") {
  MerchantBench bench(service_settings(0.0), 1, MerchantCache{sim::kHour, true});
  const std::string first = find_caller(bench.service, {AsyncStatus::kSuccess});
  const sim::AsyncOutcome outcome = bench.predicted(first, 0);
  REQUIRE(score_of(outcome) != 0);
  bench.ask(0, first);
  bench.ask(30 * sim::kMinute, "later");
  bench.ask(2 * sim::kHour, "much-later");
  bench.runtime.run_until(3 * sim::kHour);
  REQUIRE(bench.asker.replies.size() == 3);
  // The query within the hour is answered from the cache: at once, with the first score.
  CHECK(bench.asker.replies[1].caller == "later");
  CHECK(bench.asker.replies[1].score == score_of(outcome));
  CHECK(bench.asker.replies[1].time == 30 * sim::kMinute + 2 * kHop);
  // Two service attempts: the first query and the one after the cache expired.
  CHECK(bench.observer.attempts.size() == 2);
}

TEST_CASE("with cache_zero false a score of 0 is not cached, as in the StateFun 3 edition") {
  MerchantServiceSettings settings = service_settings(0.0);
  settings.score_max = 1;  // every score is 0
  for (const bool cache_zero : {true, false}) {
    CAPTURE(cache_zero);
    MerchantBench bench(settings, 1, MerchantCache{sim::kHour, cache_zero});
    bench.ask(0, "a");
    bench.ask(10 * sim::kMinute, "b");
    bench.runtime.run_until(sim::kHour);
    REQUIRE(bench.asker.replies.size() == 2);
    CHECK(bench.asker.replies[1].score == 0);
    CHECK(bench.observer.attempts.size() == (cache_zero ? 1u : 2u));
  }
}

}  // namespace
}  // namespace fraudsim
