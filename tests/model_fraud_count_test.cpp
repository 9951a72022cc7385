#include "model/fraud_count.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/messages.pb.h"
#include "model/pipeline_types.h"
#include "test_support.h"

namespace fraudsim {
namespace {

using testing::RecordingEgress;
using workshop::ConfirmFraud;
using workshop::ExpireFraud;
using workshop::QueryFraud;
using workshop::ReportedFraud;

constexpr sim::Time kHop = sim::kMillisecond;  // the runtime's default hop latency
constexpr sim::Time kWindow = 30 * sim::kDay;

struct Answer {
  sim::Time time;
  std::string asker;
  int count;
  sim::Address replied_by;
};

// Stands in for a transaction manager: poked from ingress, it asks fraud-count/<its own id> and
// keeps the replies, so they travel back to a real caller as in the pipeline.
class CountQuerier : public sim::StatefulFunction {
 public:
  explicit CountQuerier(sim::TypeId counter) : counter_(counter) {}
  void invoke(sim::Context& context, const sim::Message& message) override {
    if (const auto* reported = sim::message_as<ReportedFraud>(message)) {
      answers.push_back({context.now(), context.self_id(), reported->count(), context.caller()});
      return;
    }
    context.send(counter_, context.self_id(), sim::make_message(QueryFraud{}));
  }
  std::vector<Answer> answers;

 private:
  sim::TypeId counter_;
};

struct CounterBench {
  sim::Runtime runtime;
  RecordingEgress alerts;
  PipelineTypes types = declare_pipeline_types(runtime, &alerts);
  FraudCount counter;
  CountQuerier querier{types.fraud_count};

  explicit CounterBench(sim::Time window = kWindow, bool reproduce_defect = false)
      : counter(types.fraud_count, window, reproduce_defect) {
    runtime.bind(types.fraud_count, &counter);
    runtime.bind(types.transaction_manager, &querier);
  }

  void confirm(sim::Time at, const std::string& account) {
    ConfirmFraud confirm;
    confirm.set_account(account);
    runtime.ingest(at, types.fraud_count, account, sim::make_message(confirm));
  }

  // The counter handles the query at `processed_at`; the answer arrives one hop later.
  void ask(sim::Time processed_at, const std::string& account) {
    runtime.ingest(processed_at - kHop, types.transaction_manager, account,
                   sim::make_message(QueryFraud{}));
  }

  // Asks at each time (in increasing order), runs until the answers are in, and returns them.
  // The questions are all ingested first: two of them may be closer together than one hop.
  std::vector<int> counts_at(const std::string& account, const std::vector<sim::Time>& times) {
    const std::size_t before = querier.answers.size();
    for (const sim::Time t : times) ask(t, account);
    runtime.run_until(times.back() + kHop);
    REQUIRE(querier.answers.size() == before + times.size());
    std::vector<int> counts;
    for (std::size_t i = before; i < querier.answers.size(); ++i) {
      counts.push_back(querier.answers[i].count);
    }
    return counts;
  }
  int count_at(sim::Time processed_at, const std::string& account) {
    return counts_at(account, {processed_at}).front();
  }

  std::uint64_t counters_with_state() const {
    return runtime.type_statistics()[types.fraud_count].addresses_with_state;
  }
};

TEST_CASE("fraud count replies zero to a query about an account with no confirmations") {
  CounterBench bench;
  CHECK(bench.count_at(sim::kSecond, "0x00100000") == 0);
  // Asking must not create state.
  CHECK(bench.counters_with_state() == 0);
  CHECK(bench.runtime.live_addresses() == 0);
}

TEST_CASE("fraud count counts confirmations and replies to the caller that asked") {
  CounterBench bench;
  const std::string account = "0x00ABCDEF";
  bench.confirm(0, account);
  bench.confirm(sim::kSecond, account);
  bench.confirm(2 * sim::kSecond, account);
  bench.ask(sim::kMinute, account);
  bench.runtime.run_until(sim::kMinute + kHop);

  REQUIRE(bench.querier.answers.size() == 1);
  const Answer& answer = bench.querier.answers[0];
  CHECK(answer.count == 3);
  CHECK(answer.asker == account);
  CHECK(answer.time == sim::kMinute + kHop);
  CHECK(answer.replied_by == sim::Address{std::string(kFraudCountType), account});
  CHECK(bench.counters_with_state() == 1);
}

TEST_CASE("a query from ingress, with nobody to answer, is ignored") {
  CounterBench bench;
  bench.confirm(0, "0x00000001");
  bench.runtime.ingest(sim::kSecond, bench.types.fraud_count, "0x00000001",
                       sim::make_message(QueryFraud{}));
  bench.runtime.run_until(sim::kMinute);
  CHECK(bench.querier.answers.empty());
  CHECK(bench.count_at(2 * sim::kMinute, "0x00000001") == 1);
}

TEST_CASE("fraud count keeps a separate count per account") {
  CounterBench bench;
  bench.confirm(0, "0x00AAAAAA");
  bench.confirm(0, "0x00AAAAAA");
  bench.confirm(0, "0x00BBBBBB");
  bench.ask(sim::kSecond, "0x00AAAAAA");
  bench.ask(sim::kSecond, "0x00BBBBBB");
  bench.ask(sim::kSecond, "0x00CCCCCC");
  bench.runtime.run_until(2 * sim::kSecond);

  REQUIRE(bench.querier.answers.size() == 3);
  for (const Answer& answer : bench.querier.answers) {
    CAPTURE(answer.asker);
    const int expected = answer.asker == "0x00AAAAAA" ? 2 : answer.asker == "0x00BBBBBB" ? 1 : 0;
    CHECK(answer.count == expected);
  }
  CHECK(bench.counters_with_state() == 2);
}

TEST_CASE("a confirmation stops counting exactly one window after it was confirmed") {
  // The expiry may wait in the heap or in a FIFO lane (the pipeline asks for one for the window);
  // the boundary must not depend on which.
  for (const bool fifo_lane : {false, true}) {
    CAPTURE(fifo_lane);
    CounterBench bench;
    if (fifo_lane) bench.runtime.expect_fixed_delay(kWindow);
    const std::string account = "0x00123456";
    const sim::Time confirmed = 5 * sim::kSecond;
    bench.confirm(confirmed, account);
    // The query processed at the very instant of the expiry was sent later than the expiry was
    // scheduled (at confirmation time), so the expiry runs first and the query sees it.
    bench.ask(confirmed + kWindow - sim::kMicrosecond, account);
    bench.ask(confirmed + kWindow, account);
    bench.runtime.run_until(confirmed + kWindow + kHop);

    REQUIRE(bench.querier.answers.size() == 2);
    CHECK(bench.querier.answers[0].time == confirmed + kWindow - sim::kMicrosecond + kHop);
    CHECK(bench.querier.answers[0].count == 1);
    CHECK(bench.querier.answers[1].time == confirmed + kWindow + kHop);
    CHECK(bench.querier.answers[1].count == 0);
    CHECK(bench.counters_with_state() == 0);
  }
}

TEST_CASE("the window is the one fraud count was built with") {
  CounterBench bench(7 * sim::kDay);
  bench.confirm(0, "0x00123456");
  bench.ask(7 * sim::kDay - sim::kMicrosecond, "0x00123456");
  bench.ask(7 * sim::kDay, "0x00123456");
  bench.runtime.run_until(8 * sim::kDay);
  REQUIRE(bench.querier.answers.size() == 2);
  CHECK(bench.querier.answers[0].count == 1);
  CHECK(bench.querier.answers[1].count == 0);
}

TEST_CASE("several confirmations expire one by one, each a window after its own confirmation") {
  const sim::Time window = sim::kMinute;
  CounterBench bench(window);
  const std::string account = "0x00FEDCBA";
  bench.confirm(0, account);
  bench.confirm(10 * sim::kSecond, account);
  bench.confirm(20 * sim::kSecond, account);

  const sim::Time just_before = -sim::kMicrosecond;
  CHECK(bench.counts_at(account, {window + just_before, window,
                                  window + 10 * sim::kSecond + just_before,
                                  window + 10 * sim::kSecond}) == std::vector<int>{3, 2, 2, 1});
  CHECK(bench.counters_with_state() == 1);
  CHECK(bench.counts_at(account, {window + 20 * sim::kSecond + just_before,
                                  window + 20 * sim::kSecond}) == std::vector<int>{1, 0});
  CHECK(bench.counters_with_state() == 0);
  CHECK(bench.runtime.pending_events() == 0);
  CHECK(bench.runtime.live_addresses() == 0);
}

TEST_CASE("confirmations at the same instant count separately and expire together") {
  CounterBench bench(sim::kHour);
  bench.confirm(0, "0x00123456");
  bench.confirm(0, "0x00123456");
  CHECK(bench.counts_at("0x00123456", {sim::kHour - sim::kMicrosecond, sim::kHour}) ==
        std::vector<int>{2, 0});
  CHECK(bench.counters_with_state() == 0);
}

TEST_CASE("a new confirmation after the count returned to zero counts from zero again") {
  CounterBench bench(sim::kHour);
  bench.confirm(0, "0x00123456");
  CHECK(bench.count_at(2 * sim::kHour, "0x00123456") == 0);
  bench.confirm(3 * sim::kHour, "0x00123456");
  CHECK(bench.count_at(3 * sim::kHour + sim::kSecond, "0x00123456") == 1);
  CHECK(bench.count_at(4 * sim::kHour, "0x00123456") == 0);
  CHECK(bench.counters_with_state() == 0);
}

TEST_CASE("fraud count never goes below zero and removes its state at zero") {
  CounterBench bench(sim::kHour);
  const std::string account = "0x00123456";
  bench.confirm(0, account);
  // Expiries nobody scheduled, as the workshop's defect would need to go negative.
  bench.runtime.ingest(sim::kMinute, bench.types.fraud_count, account,
                       sim::make_message(ExpireFraud{}));
  bench.runtime.ingest(2 * sim::kMinute, bench.types.fraud_count, "0x00999999",
                       sim::make_message(ExpireFraud{}));
  bench.ask(3 * sim::kMinute, account);
  bench.ask(3 * sim::kMinute, "0x00999999");
  bench.runtime.run_until(3 * sim::kMinute + kHop);
  REQUIRE(bench.querier.answers.size() == 2);
  CHECK(bench.querier.answers[0].count == 0);
  CHECK(bench.querier.answers[1].count == 0);
  CHECK(bench.counters_with_state() == 0);

  // The scheduled expiry of the first confirmation still comes, and finds nothing to take away.
  CHECK(bench.count_at(2 * sim::kHour, account) == 0);
  CHECK(bench.counters_with_state() == 0);
  CHECK(bench.runtime.type_statistics()[bench.types.fraud_count].peak_addresses_with_state == 1);
}

TEST_CASE("with the workshop's expire defect a count of one expires to a stored zero") {
  CounterBench bench(sim::kHour, /*reproduce_defect=*/true);
  const std::string account = "0x00123456";
  bench.confirm(0, account);
  CHECK(bench.counts_at(account, {sim::kHour - sim::kMicrosecond, sim::kHour}) ==
        std::vector<int>{1, 0});
  // The zero is stored, not removed.
  CHECK(bench.counters_with_state() == 1);
  CHECK(bench.runtime.live_addresses() == 1);
}

TEST_CASE("with the workshop's expire defect an expiry with no count stores minus one") {
  CounterBench bench(sim::kHour, /*reproduce_defect=*/true);
  bench.runtime.ingest(0, bench.types.fraud_count, "0x00999999", sim::make_message(ExpireFraud{}));
  CHECK(bench.count_at(sim::kSecond, "0x00999999") == -1);
  CHECK(bench.counters_with_state() == 1);

  // A stored zero expiring goes to minus one as well.
  bench.confirm(2 * sim::kSecond, "0x00123456");
  bench.runtime.ingest(3 * sim::kSecond, bench.types.fraud_count, "0x00123456",
                       sim::make_message(ExpireFraud{}));
  CHECK(bench.count_at(4 * sim::kSecond, "0x00123456") == 0);
  CHECK(bench.count_at(sim::kHour + 2 * sim::kSecond, "0x00123456") == -1);
  CHECK(bench.counters_with_state() == 2);
}

TEST_CASE("the expire defect does not change counts above one") {
  CounterBench bench(sim::kHour, /*reproduce_defect=*/true);
  const std::string account = "0x00123456";
  bench.confirm(0, account);
  bench.confirm(sim::kMinute, account);
  bench.confirm(2 * sim::kMinute, account);
  CHECK(bench.count_at(sim::kHour, account) == 2);
  CHECK(bench.count_at(sim::kHour + sim::kMinute, account) == 1);
  CHECK(bench.count_at(sim::kHour + 2 * sim::kMinute, account) == 0);
  CHECK(bench.counters_with_state() == 1);
}

}  // namespace
}  // namespace fraudsim
