// Failures and their timing: merchant-service timeouts, backoff and outages; model restarts
// carried across by the call semantics, with decision times the retry schedule predicts.
#include <doctest/doctest.h>

#include <vector>

#include "model/merchant_function.h"
#include "model/merchant_service.h"
#include "model/messages.pb.h"
#include "model/pipeline.h"
#include "model/pipeline_types.h"
#include "model/scenario.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

using sim::kMillisecond;
using sim::kSecond;

// Sends a QueryMerchantScore to merchant/<id> for each ingress message, so replies come back here.
class Asker : public sim::StatefulFunction {
 public:
  Asker(sim::TypeId merchant, std::vector<Received>& replies) : merchant_(merchant), replies_(replies) {}
  void invoke(sim::Context& context, const sim::Message& message) override {
    if (!context.has_caller()) {
      context.send(merchant_, "Amberworks", sim::make_message(workshop::QueryMerchantScore{}));
      return;
    }
    replies_.push_back({context.now(), context.self(), context.caller(), message});
  }

 private:
  sim::TypeId merchant_;
  std::vector<Received>& replies_;
};

class CountingObserver : public PipelineObserver {
 public:
  void on_merchant_attempt(sim::Time, sim::AsyncStatus status) override { statuses.push_back(status); }
  void on_merchant_reply(sim::Time, std::string_view, bool error, int attempts, sim::Time backoff) override {
    reply_errors.push_back(error);
    reply_attempts.push_back(attempts);
    reply_backoffs.push_back(backoff);
  }
  std::vector<sim::AsyncStatus> statuses;
  std::vector<bool> reply_errors;
  std::vector<int> reply_attempts;
  std::vector<sim::Time> reply_backoffs;
};

struct MerchantRig {
  explicit MerchantRig(MerchantServiceSettings service_settings, MerchantRetryPolicy policy)
      : service(service_settings, /*seed=*/7),
        merchant(service, policy, sim::make_stream(7, "merchant.backoff"), observer) {
    merchant_type = runtime.declare_type(kMerchantType);
    asker_type = runtime.declare_type("test/asker");
    asker = std::make_unique<Asker>(merchant_type, replies);
    runtime.bind(merchant_type, &merchant);
    runtime.bind(asker_type, asker.get());
  }
  void ask_at(sim::Time t) { runtime.ingest(t, asker_type, "tx", sim::make_message(workshop::Transaction{})); }

  sim::Runtime runtime{sim::RuntimeOptions{kMillisecond}};
  CountingObserver observer;
  MerchantService service;
  MerchantFunction merchant;
  sim::TypeId merchant_type = 0, asker_type = 0;
  std::vector<Received> replies;
  std::unique_ptr<Asker> asker;
};

const workshop::MerchantScore& score_of(const Received& r) {
  return static_cast<const workshop::MerchantScore&>(*r.message);
}

MerchantServiceSettings always(sim::Time latency, double failure_probability) {
  MerchantServiceSettings s;
  s.latency = LatencyModel::fixed(latency);
  s.failure_probability = failure_probability;
  return s;
}

}  // namespace

TEST_CASE("a merchant answer after its timeout is dropped and counted, and the error reply comes when the last attempt times out") {
  MerchantRetryPolicy policy;
  policy.attempts = 3;
  policy.timeout = kSecond;
  MerchantRig rig(always(3 * kSecond, 0.0), policy);
  rig.ask_at(0);
  rig.runtime.run_until(sim::kMinute);
  // The query reaches the merchant at 1 ms; attempts time out at 1.001 s, 2.001 s and 3.001 s.
  REQUIRE(rig.replies.size() == 1);
  CHECK(score_of(rig.replies[0]).error());
  CHECK(rig.replies[0].time == 3 * kSecond + 2 * kMillisecond);
  CHECK(rig.observer.statuses == std::vector<sim::AsyncStatus>(3, sim::AsyncStatus::kTimeout));
  CHECK(rig.runtime.async_statistics().timed_out == 3);
  CHECK(rig.runtime.async_statistics().late_answers_dropped == 3);
}

TEST_CASE("an answer within the timeout is delivered once and nothing is dropped") {
  MerchantRetryPolicy policy;
  policy.timeout = kSecond;
  MerchantRig rig(always(500 * kMillisecond, 0.0), policy);
  rig.ask_at(0);
  rig.runtime.run_until(sim::kMinute);
  REQUIRE(rig.replies.size() == 1);
  CHECK_FALSE(score_of(rig.replies[0]).error());
  CHECK(rig.replies[0].time == 502 * kMillisecond);
  CHECK(rig.runtime.async_statistics().late_answers_dropped == 0);
}

TEST_CASE("merchant attempts never exceed the limit") {
  for (int attempts : {1, 2, 5}) {
    CAPTURE(attempts);
    MerchantRetryPolicy policy;
    policy.attempts = attempts;
    MerchantRig rig(always(100 * kMillisecond, 1.0), policy);
    rig.ask_at(0);
    rig.runtime.run_until(sim::kMinute);
    CHECK(rig.observer.statuses.size() == static_cast<std::size_t>(attempts));
    REQUIRE(rig.replies.size() == 1);
    CHECK(score_of(rig.replies[0]).error());
    CHECK(rig.observer.reply_attempts == std::vector<int>{attempts});
  }
}

TEST_CASE("a fixed backoff spaces merchant attempts and is reported as waited") {
  MerchantRetryPolicy policy;
  policy.backoff = Backoff::kFixed;
  policy.backoff_initial = 200 * kMillisecond;
  policy.jitter = 0;
  MerchantRig rig(always(100 * kMillisecond, 1.0), policy);
  rig.ask_at(0);
  rig.runtime.run_until(sim::kMinute);
  // Attempts at 1, 301 and 601 ms, each failing 100 ms later; the error goes out at 701 ms.
  REQUIRE(rig.replies.size() == 1);
  CHECK(rig.replies[0].time == 702 * kMillisecond);
  CHECK(rig.observer.reply_backoffs == std::vector<sim::Time>{400 * kMillisecond});
}

TEST_CASE("exponential backoff doubles up to its maximum, and jitter only shortens it") {
  MerchantRetryPolicy policy;
  policy.backoff = Backoff::kExponential;
  policy.backoff_initial = 100 * kMillisecond;
  policy.backoff_max = 350 * kMillisecond;
  policy.jitter = 0;
  sim::Rng rng(1);
  CHECK(MerchantFunction::backoff_after(policy, 1, rng) == 100 * kMillisecond);
  CHECK(MerchantFunction::backoff_after(policy, 2, rng) == 200 * kMillisecond);
  CHECK(MerchantFunction::backoff_after(policy, 3, rng) == 350 * kMillisecond);
  CHECK(MerchantFunction::backoff_after(policy, 9, rng) == 350 * kMillisecond);
  policy.jitter = 0.5;
  for (int i = 0; i < 1000; ++i) {
    const sim::Time wait = MerchantFunction::backoff_after(policy, 2, rng);
    CHECK(wait >= 100 * kMillisecond);
    CHECK(wait <= 200 * kMillisecond);
  }
  policy.backoff = Backoff::kNone;
  CHECK(MerchantFunction::backoff_after(policy, 3, rng) == 0);
}

TEST_CASE("during a fail-fast outage merchant attempts fail after the refused latency") {
  MerchantServiceSettings settings = always(100 * kMillisecond, 0.0);
  settings.outages = {Window{kSecond, kSecond}};
  settings.refused_latency = 5 * kMillisecond;
  MerchantService service(settings, 1);
  CHECK(service.attempt(0, 1, 0).status == sim::AsyncStatus::kSuccess);
  const sim::AsyncOutcome inside = service.attempt(1500 * kMillisecond, 1, 0);
  CHECK(inside.status == sim::AsyncStatus::kFailure);
  CHECK(inside.delay == 5 * kMillisecond);
  // A request under way when the outage begins is cut there.
  const sim::AsyncOutcome cut = service.attempt(950 * kMillisecond, 1, 0);
  CHECK(cut.status == sim::AsyncStatus::kFailure);
  CHECK(cut.delay == 50 * kMillisecond);
  CHECK(service.attempt(2 * kSecond, 1, 0).status == sim::AsyncStatus::kSuccess);
  CHECK(service.outages_started_by(999 * kMillisecond) == 0);
  CHECK(service.outages_started_by(kSecond) == 1);
}

TEST_CASE("during a hanging outage merchant attempts never answer, and the timeout ends them") {
  MerchantServiceSettings settings = always(100 * kMillisecond, 0.0);
  settings.outages = {Window{0, 10 * kSecond}};
  settings.outage_mode = OutageMode::kHang;
  CHECK(MerchantService(settings, 1).attempt(kSecond, 1, 0).delay == sim::kNever);

  MerchantRetryPolicy policy;
  policy.timeout = 2 * kSecond;
  MerchantRig rig(settings, policy);
  rig.ask_at(0);
  rig.runtime.run_until(sim::kMinute);
  REQUIRE(rig.replies.size() == 1);
  CHECK(score_of(rig.replies[0]).error());
  CHECK(rig.runtime.async_statistics().timed_out == 3);
  CHECK(rig.runtime.async_statistics().late_answers_dropped == 0);
  CHECK(rig.runtime.async_statistics().never_answered == 3);
}

TEST_CASE("random merchant outages are the same for a seed and differ between seeds") {
  MerchantServiceSettings settings = always(100 * kMillisecond, 0.0);
  settings.outage_rate = 1.0 / 3600;
  settings.outage_length = 5 * sim::kMinute;
  MerchantService a(settings, 1), b(settings, 1), c(settings, 2);
  std::vector<sim::AsyncStatus> sa, sb, sc;
  for (sim::Time t = 0; t < 48 * sim::kHour; t += sim::kMinute) {
    sa.push_back(a.attempt(t, 1, 0).status);
    sb.push_back(b.attempt(t, 1, 0).status);
    sc.push_back(c.attempt(t, 1, 0).status);
  }
  CHECK(sa == sb);
  CHECK(sa != sc);
  const auto down = std::count(sa.begin(), sa.end(), sim::AsyncStatus::kFailure);
  CHECK(down > 0);
  CHECK(down < static_cast<long>(sa.size()) / 4);
  CHECK(a.outages_started_by(48 * sim::kHour) > 10);
}

TEST_CASE("the decision of a transaction caught in a model restart comes when the retry schedule says") {
  ScratchDirectory files;
  files.write("one.csv", "time,account,merchant,amount\n0s,0x00100000,Amberworks,10\n");
  const std::string scenario = files.write(
      "restart.ini",
      "[run]\nduration = 1min\n[runtime]\nhop_latency = 1ms\n"
      "[traffic]\ngenerator = replay\ntransactions = one.csv\n"
      "[merchant]\nlatency = fixed(100ms)\nfailure_probability = 0\n"
      "[model]\nlatency = fixed(1ms)\nrefused_latency = 1ms\n"
      "[faults]\nmodel_restarts = 50ms+10s\n");
  std::vector<sim::Time> decided;
  RunHooks hooks;
  hooks.on_decision = [&](const Decision& d) { decided.push_back(d.time); };
  const RunReport report = run_pipeline(load_scenario(scenario, {}), hooks);

  // The model call starts at 103 ms (query 1 ms, merchant 100 ms, reply 1 ms, features 1 ms),
  // inside the restart; each refused attempt fails 1 ms after it starts and waits 10 ms, 20 ms,
  // ... before the next; the first attempt after 10.05 s succeeds 1 ms later, and the score
  // reaches the manager one hop after that.
  sim::Time attempt = 103 * kMillisecond;
  sim::Time backoff = 10 * kMillisecond;
  int attempts = 1;
  while (attempt < 10'050 * kMillisecond) {
    attempt += kMillisecond + backoff;
    backoff *= 2;
    ++attempts;
  }
  CHECK(attempts == 11);
  REQUIRE(decided.size() == 1);
  CHECK(decided[0] == attempt + 2 * kMillisecond);
  CHECK(decided[0] == 10'345 * kMillisecond);
  CHECK_FALSE(report.failure.has_value());
  CHECK(report.metrics.model_attempts().max() == attempts);
}

TEST_CASE("a model restart longer than the call timeout fails the job one call timeout after the first call it catches") {
  const Scenario scenario = make_scenario({"traffic.generator=workshop", "traffic.rate=10/s",
                                           "run.duration=5min", "faults.model_restarts=1min+2min"});
  const RunReport report = run_pipeline(scenario);
  REQUIRE(report.failure.has_value());
  // The first call caught by the restart starts within a few seconds after 1 min, and the job fails
  // exactly one call timeout later.
  CHECK(report.failure->time > 2 * sim::kMinute);
  CHECK(report.failure->time < 2 * sim::kMinute + 10 * kSecond);
  CHECK(report.end == report.failure->time);
  CHECK(report.failure->cause.find("ververica/model/") != std::string::npos);
  CHECK(report.failure->cause.find("1min") != std::string::npos);
}

}  // namespace fraudsim::testing
