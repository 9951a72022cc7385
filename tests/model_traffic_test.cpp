#include "model/traffic.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/merchant_names.h"
#include "model/messages.pb.h"
#include "model/pipeline.h"
#include "model/pipeline_types.h"
#include "model/population_traffic.h"
#include "model/replay_traffic.h"
#include "model/scenario.h"
#include "model/workshop_traffic.h"
#include "sim/settings.h"
#include "sim/trace.h"
#include "test_support.h"

namespace fraudsim {
namespace {

using testing::Received;
using testing::Recorder;
using testing::RecordingEgress;
using testing::ScratchDirectory;
using workshop::ConfirmFraud;
using workshop::Transaction;

struct Arrival {
  sim::Time time;
  std::string manager_id;
  Transaction transaction;
};

struct Confirmation {
  sim::Time time;
  std::string counter_id;
  std::string account;
};

// A traffic source feeding recorders instead of the pipeline's functions, so every record that
// enters is seen exactly as it arrived.
struct TrafficBench {
  Scenario scenario;
  sim::Runtime runtime;
  RecordingEgress alerts;
  PipelineTypes types = declare_pipeline_types(runtime, &alerts);
  std::vector<Received> log;
  Recorder recorder{log};
  Ingress ingress{types, null_observer()};

  explicit TrafficBench(const std::vector<std::string>& assignments)
      : scenario(make_scenario(assignments)) {
    runtime.bind(types.transaction_manager, &recorder);
    runtime.bind(types.fraud_count, &recorder);
    runtime.bind(types.merchant, &recorder);
    runtime.bind(types.model, &recorder);
  }

  std::vector<Arrival> transactions() const {
    std::vector<Arrival> out;
    for (const Received& r : log) {
      if (const auto* t = sim::message_as<Transaction>(r.message)) {
        CHECK(r.to.type == kTransactionManagerType);
        CHECK_FALSE(r.from.has_value());
        out.push_back({r.time, r.to.id, *t});
      }
    }
    return out;
  }

  std::vector<Confirmation> confirmations() const {
    std::vector<Confirmation> out;
    for (const Received& r : log) {
      if (const auto* c = sim::message_as<ConfirmFraud>(r.message)) {
        CHECK(r.to.type == kFraudCountType);
        out.push_back({r.time, r.to.id, c->account()});
      }
    }
    return out;
  }
};

bool is_workshop_account(const std::string& account, std::uint64_t low, std::uint64_t high) {
  if (account.size() != 10 || account.compare(0, 2, "0x") != 0) return false;
  for (std::size_t i = 2; i < account.size(); ++i) {
    const char c = account[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  const std::uint64_t value = std::stoull(account.substr(2), nullptr, 16);
  return value >= low && value < high;
}

// ---- the workshop's generator ------------------------------------------------------------------

TEST_CASE("account ids are formatted like the workshop's 0x%08X") {
  CHECK(format_account(0x100000) == "0x00100000");
  CHECK(format_account(0xABCDEF) == "0x00ABCDEF");
  CHECK(format_account(0xFFFFFF) == "0x00FFFFFF");
}

TEST_CASE("the workshop generator spaces transactions evenly at its rate") {
  for (const int rate : {100, 250}) {
    CAPTURE(rate);
    TrafficBench bench({"traffic.rate=" + std::to_string(rate) + "/s"});
    WorkshopTraffic traffic(bench.scenario, bench.ingress);
    traffic.start(bench.runtime);
    // Just short of one second: exactly `rate` arrivals, the next one falls at 1s.
    bench.runtime.run_until(sim::kSecond - 1);

    const auto arrivals = bench.transactions();
    REQUIRE(arrivals.size() == static_cast<std::size_t>(rate));
    const sim::Time spacing = sim::kSecond / rate;
    for (std::size_t k = 0; k < arrivals.size(); ++k) {
      CAPTURE(k);
      CHECK(arrivals[k].time == static_cast<sim::Time>(k) * spacing);
      CHECK(traffic.arrival_time(k) == arrivals[k].time);
      CHECK(arrivals[k].transaction.timestamp() == arrivals[k].time);
      CHECK(arrivals[k].transaction.id() == k);
      CHECK(arrivals[k].manager_id == std::to_string(k));
      CHECK(arrivals[k].transaction.truth() == workshop::TRUTH_UNKNOWN);
    }
    CHECK(traffic.arrival_time(static_cast<std::uint64_t>(rate)) == sim::kSecond);
    CHECK(bench.ingress.transactions() == static_cast<std::uint64_t>(rate));
  }
}

TEST_CASE("the workshop generator cycles through the merchants in order and wraps around") {
  const auto& names = merchant_names();
  REQUIRE(names.size() == kWorkshopMerchantCount);
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());

  // One transaction per microsecond, so a whole cycle takes a few milliseconds of virtual time.
  TrafficBench bench({"traffic.rate=1000000/s"});
  WorkshopTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  const std::size_t count = kWorkshopMerchantCount + 10;
  bench.runtime.run_until(static_cast<sim::Time>(count) - 1);

  const auto arrivals = bench.transactions();
  REQUIRE(arrivals.size() == count);
  for (std::size_t k = 0; k < count; ++k) {
    CAPTURE(k);
    CHECK(arrivals[k].transaction.merchant() == names[k % names.size()]);
  }
}

TEST_CASE("workshop accounts lie from 0x100000 up to 0x1000000 and amounts from 0 up to 100000") {
  TrafficBench bench({"traffic.rate=1000000/s"});
  WorkshopTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  bench.runtime.run_until(1999);

  const auto arrivals = bench.transactions();
  REQUIRE(arrivals.size() == 2000);
  std::set<std::string> accounts;
  std::int32_t lowest = INT32_MAX, highest = INT32_MIN;
  for (const Arrival& a : arrivals) {
    CAPTURE(a.transaction.account());
    CHECK(is_workshop_account(a.transaction.account(), 0x100000, 0x1000000));
    CHECK(a.transaction.amount() >= 0);
    CHECK(a.transaction.amount() < 100000);
    accounts.insert(a.transaction.account());
    lowest = std::min(lowest, a.transaction.amount());
    highest = std::max(highest, a.transaction.amount());
  }
  // Uniform over 15 million ids: repeats are rare, which is why the window hardly matters here.
  CHECK(accounts.size() > 1990);
  CHECK(lowest < 1000);
  CHECK(highest > 99000);
}

TEST_CASE("the workshop generator gives the same transactions for the same seed only") {
  auto accounts_for = [](const std::string& seed) {
    TrafficBench bench({"traffic.rate=1000000/s", "run.seed=" + seed});
    WorkshopTraffic traffic(bench.scenario, bench.ingress);
    traffic.start(bench.runtime);
    bench.runtime.run_until(99);
    std::vector<std::string> accounts;
    for (const Arrival& a : bench.transactions()) {
      accounts.push_back(a.transaction.account() + "/" + std::to_string(a.transaction.amount()));
    }
    return accounts;
  };
  const auto first = accounts_for("7");
  CHECK(first.size() == 100);
  CHECK(accounts_for("7") == first);
  CHECK(accounts_for("8") != first);
}

Transaction alerted(std::uint64_t id, const std::string& account) {
  Transaction t;
  t.set_id(id);
  t.set_account(account);
  return t;
}

TEST_CASE("alert feedback enters no faster than the confirmation limit, in alert order") {
  TrafficBench bench({"traffic.rate=1/h", "fraud.alert_confirm_share=1",
                      "fraud.confirm_limit=10/s"});
  WorkshopTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  // A burst of 25 alerts at one instant: the ingress spreads them 100ms apart.
  for (std::uint64_t i = 0; i < 25; ++i) {
    traffic.on_alert(bench.runtime, alerted(i, format_account(0x200000 + i)));
  }
  bench.runtime.run_until(10 * sim::kSecond);

  const auto confirmations = bench.confirmations();
  REQUIRE(confirmations.size() == 25);
  for (std::size_t i = 0; i < confirmations.size(); ++i) {
    CAPTURE(i);
    CHECK(confirmations[i].time == static_cast<sim::Time>(i) * 100 * sim::kMillisecond);
    CHECK(confirmations[i].account == format_account(0x200000 + i));
    CHECK(confirmations[i].counter_id == confirmations[i].account);
  }
}

TEST_CASE("only the configured share of alerts comes back as confirmations") {
  TrafficBench bench({"traffic.rate=1/h", "fraud.alert_confirm_share=0.05",
                      "fraud.confirm_limit=1000000/s"});
  WorkshopTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  std::set<std::string> alerted_accounts;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    const std::string account = format_account(0x300000 + i);
    alerted_accounts.insert(account);
    traffic.on_alert(bench.runtime, alerted(i, account));
  }
  bench.runtime.run_until(sim::kSecond);

  const auto confirmations = bench.confirmations();
  // 5% of 4000 is 200; the draw is seeded, the bounds only guard against a wrong share.
  CHECK(confirmations.size() > 150);
  CHECK(confirmations.size() < 250);
  for (const Confirmation& c : confirmations) CHECK(alerted_accounts.count(c.account) == 1);
}

TEST_CASE("in a whole workshop run no second of virtual time has more confirmations than the limit") {
  // Every transaction alerts (scores are >= 0) and every alert asks to be confirmed, so the
  // limit is what holds confirmations back.
  std::vector<sim::Time> alert_times;
  RunHooks hooks;
  hooks.on_alert = [&](sim::Time now, const Transaction&) { alert_times.push_back(now); };
  const RunReport report = run_pipeline(
      make_scenario({"run.duration=20s", "run.series_interval=1s", "model.threshold=-1",
                     "fraud.alert_confirm_share=1", "fraud.confirm_limit=4/s"}),
      hooks);

  const Counts& totals = report.metrics.totals();
  REQUIRE(totals.alerts > 200);
  CHECK(totals.alerts == alert_times.size());
  CHECK(totals.alerts == totals.decisions);
  std::uint64_t most = 0;
  for (const SeriesRow& row : report.metrics.series()) {
    CAPTURE(row.start);
    CHECK(row.counts.confirmations <= 4);
    most = std::max(most, row.counts.confirmations);
  }
  CHECK(most == 4);
  // Each alert is confirmed as soon as the limit allows: at its own time, or 250ms after the
  // confirmation before it, whichever is later. Those due after the horizon never enter.
  std::uint64_t expected = 0;
  sim::Time next_allowed = 0;
  for (const sim::Time alert : alert_times) {
    const sim::Time at = std::max(alert, next_allowed);
    next_allowed = at + 250 * sim::kMillisecond;
    if (at <= 20 * sim::kSecond) ++expected;
  }
  CHECK(totals.confirmations == expected);
}

// ---- the population generator ------------------------------------------------------------------

const std::vector<std::string> kPopulation = {
    "traffic.generator=population", "traffic.accounts=200",     "traffic.activity=20/d",
    "traffic.merchants=50",         "fraud.compromise_rate=0.05/d", "fraud.burst_length=2h",
    "fraud.burst_rate=10/h",        "fraud.confirm_delay_median=1h"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

TEST_CASE("population transactions all carry their truth, and both kinds occur") {
  TrafficBench bench(kPopulation);
  PopulationTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  bench.runtime.run_until(2 * sim::kDay);

  const auto arrivals = bench.transactions();
  REQUIRE(arrivals.size() > 1000);
  std::size_t frauds = 0, legitimate = 0;
  for (const Arrival& a : arrivals) {
    CHECK(a.transaction.truth() != workshop::TRUTH_UNKNOWN);
    if (a.transaction.truth() == workshop::TRUTH_FRAUD) ++frauds;
    if (a.transaction.truth() == workshop::TRUTH_LEGITIMATE) ++legitimate;
    CHECK(a.transaction.timestamp() == a.time);
  }
  CHECK(frauds > 0);
  CHECK(legitimate > 0);
  CHECK(frauds + legitimate == arrivals.size());
}

TEST_CASE("population accounts come back many times") {
  TrafficBench bench(kPopulation);
  PopulationTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  bench.runtime.run_until(2 * sim::kDay);

  std::map<std::string, int> per_account;
  std::set<std::string> merchants;
  for (const Arrival& a : bench.transactions()) {
    CAPTURE(a.transaction.account());
    CHECK(is_workshop_account(a.transaction.account(), 0x100000, 0x100000 + 200));
    ++per_account[a.transaction.account()];
    merchants.insert(a.transaction.merchant());
  }
  // About 8,000 legitimate transactions over 200 accounts.
  CHECK(per_account.size() <= 200);
  int returning = 0;
  for (const auto& [account, count] : per_account) returning += count >= 5 ? 1 : 0;
  CHECK(returning > 100);
  CHECK(merchants.size() <= 50);
  const auto& names = merchant_names();
  for (const std::string& m : merchants) {
    CHECK(std::find(names.begin(), names.begin() + 50, m) != names.begin() + 50);
  }
}

TEST_CASE("population fraud happens only on compromised accounts, in bursts") {
  SUBCASE("no compromises, no fraud") {
    TrafficBench bench(with(kPopulation, {"fraud.compromise_rate=0/d"}));
    PopulationTraffic traffic(bench.scenario, bench.ingress);
    traffic.start(bench.runtime);
    bench.runtime.run_until(2 * sim::kDay);
    const auto arrivals = bench.transactions();
    CHECK(arrivals.size() > 1000);
    for (const Arrival& a : arrivals) CHECK(a.transaction.truth() == workshop::TRUTH_LEGITIMATE);
    CHECK(bench.confirmations().empty());
  }
  SUBCASE("fraud accounts are no more than the compromises") {
    TrafficBench bench(kPopulation);
    std::ostringstream trace_text;
    sim::TraceWriter trace(trace_text);
    bench.runtime.set_trace(&trace);
    PopulationTraffic traffic(bench.scenario, bench.ingress);
    traffic.start(bench.runtime);
    bench.runtime.run_until(2 * sim::kDay);

    std::size_t compromises = 0;
    std::istringstream lines(trace_text.str());
    for (std::string line; std::getline(lines, line);) {
      if (line.find("timer/population.compromise") != std::string::npos) ++compromises;
    }
    std::map<std::string, int> frauds_per_account;
    for (const Arrival& a : bench.transactions()) {
      if (a.transaction.truth() == workshop::TRUTH_FRAUD) ++frauds_per_account[a.transaction.account()];
    }
    // About 20 compromises in 2 days over 200 accounts.
    REQUIRE(compromises > 5);
    REQUIRE_FALSE(frauds_per_account.empty());
    CHECK(frauds_per_account.size() <= compromises);
    CHECK(frauds_per_account.size() < 50);
    int frauds = 0;
    for (const auto& [account, count] : frauds_per_account) frauds += count;
    CHECK(frauds > 2 * static_cast<int>(frauds_per_account.size()));
  }
}

TEST_CASE("population confirmations name accounts that had fraud, after the fraud") {
  TrafficBench bench(kPopulation);
  PopulationTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  bench.runtime.run_until(2 * sim::kDay);

  std::map<std::string, sim::Time> first_fraud;
  std::size_t frauds = 0;
  for (const Arrival& a : bench.transactions()) {
    if (a.transaction.truth() != workshop::TRUTH_FRAUD) continue;
    ++frauds;
    first_fraud.emplace(a.transaction.account(), a.time);
  }
  const auto confirmations = bench.confirmations();
  REQUIRE_FALSE(confirmations.empty());
  CHECK(confirmations.size() <= frauds);
  for (const Confirmation& c : confirmations) {
    CAPTURE(c.account);
    CHECK(c.counter_id == c.account);
    const auto it = first_fraud.find(c.account);
    REQUIRE(it != first_fraud.end());
    CHECK(it->second < c.time);
  }
}

TEST_CASE("population legitimate traffic does not depend on the fraud settings") {
  auto legitimate_for = [](const std::vector<std::string>& assignments) {
    TrafficBench bench(assignments);
    PopulationTraffic traffic(bench.scenario, bench.ingress);
    traffic.start(bench.runtime);
    bench.runtime.run_until(sim::kDay);
    std::vector<std::string> out;
    for (const Arrival& a : bench.transactions()) {
      if (a.transaction.truth() != workshop::TRUTH_LEGITIMATE) continue;
      out.push_back(std::to_string(a.time) + " " + a.transaction.account() + " " +
                    a.transaction.merchant() + " " + std::to_string(a.transaction.amount()));
    }
    return out;
  };
  const auto base = legitimate_for(kPopulation);
  REQUIRE(base.size() > 1000);
  CHECK(legitimate_for(with(kPopulation, {"fraud.compromise_rate=0.5/d"})) == base);
  CHECK(legitimate_for(with(kPopulation, {"run.seed=2"})) != base);
}

// ---- replay ------------------------------------------------------------------------------------

TEST_CASE("replay ingests each transaction row at its time with its fields") {
  ScratchDirectory dir;
  const std::string transactions = dir.write("tx.csv",
                                             "time,account,merchant,amount,fraud\n"
                                             "0,0x00000001,Amberworks,10,1\n"
                                             "1500ms, 0x00000002 ,Bluemart,20,0\n"
                                             "1500ms,0x00000003,Cedarshop,30,\n"
                                             "\n"
                                             "2s,0x00000004,Deltahub,40,true\n"
                                             "1min,0x00000005,Eastlane,2147483647,false\n");
  TrafficBench bench({"traffic.generator=replay", "traffic.transactions=" + transactions});
  ReplayTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  bench.runtime.run_until(sim::kHour);

  const auto arrivals = bench.transactions();
  REQUIRE(arrivals.size() == 5);
  const std::vector<sim::Time> times = {0, 1500 * sim::kMillisecond, 1500 * sim::kMillisecond,
                                        2 * sim::kSecond, sim::kMinute};
  const std::vector<std::string> merchants = {"Amberworks", "Bluemart", "Cedarshop", "Deltahub",
                                              "Eastlane"};
  const std::vector<std::int32_t> amounts = {10, 20, 30, 40, 2147483647};
  const std::vector<workshop::Truth> truths = {workshop::TRUTH_FRAUD, workshop::TRUTH_LEGITIMATE,
                                               workshop::TRUTH_UNKNOWN, workshop::TRUTH_FRAUD,
                                               workshop::TRUTH_LEGITIMATE};
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    CAPTURE(i);
    CHECK(arrivals[i].time == times[i]);
    CHECK(arrivals[i].transaction.timestamp() == times[i]);
    CHECK(arrivals[i].transaction.id() == i);
    CHECK(arrivals[i].transaction.account() == format_account(i + 1));
    CHECK(arrivals[i].transaction.merchant() == merchants[i]);
    CHECK(arrivals[i].transaction.amount() == amounts[i]);
    CHECK(arrivals[i].transaction.truth() == truths[i]);
  }
}

TEST_CASE("replay without a fraud column leaves the truth unknown") {
  ScratchDirectory dir;
  const std::string path = dir.write("tx.csv", "time,account,merchant,amount\n1s,a,m,5\n");
  const auto rows = read_replay_transactions(path);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].time == sim::kSecond);
  CHECK(rows[0].transaction.truth() == workshop::TRUTH_UNKNOWN);
}

TEST_CASE("replay ingests each confirmation row at its time to the account's fraud count") {
  ScratchDirectory dir;
  const std::string transactions = dir.write("tx.csv", "time,account,merchant,amount\n");
  const std::string confirmations = dir.write("confirm.csv",
                                              "time,account\n"
                                              "10s,0x00000001\n"
                                              "10s,0x00000002\n"
                                              "1h,0x00000001\n");
  TrafficBench bench({"traffic.generator=replay", "traffic.transactions=" + transactions,
                      "traffic.confirmations=" + confirmations});
  ReplayTraffic traffic(bench.scenario, bench.ingress);
  traffic.start(bench.runtime);
  bench.runtime.run_until(sim::kDay);

  CHECK(bench.transactions().empty());
  const auto confirmed = bench.confirmations();
  REQUIRE(confirmed.size() == 3);
  CHECK(confirmed[0].time == 10 * sim::kSecond);
  CHECK(confirmed[0].account == "0x00000001");
  CHECK(confirmed[1].time == 10 * sim::kSecond);
  CHECK(confirmed[1].account == "0x00000002");
  CHECK(confirmed[2].time == sim::kHour);
  CHECK(confirmed[2].account == "0x00000001");
  for (const Confirmation& c : confirmed) CHECK(c.counter_id == c.account);
}

TEST_CASE("a replayed run decides every row and counts the truth it carries") {
  ScratchDirectory dir;
  const std::string transactions = dir.write("tx.csv",
                                             "time,account,merchant,amount,fraud\n"
                                             "0,0x00000001,Amberworks,10,1\n"
                                             "1s,0x00000002,Amberworks,20,0\n"
                                             "2s,0x00000001,Bluemart,30,1\n");
  const std::string confirmations = dir.write("confirm.csv", "time,account\n5s,0x00000001\n");
  std::vector<std::string> alerted_accounts;
  RunHooks hooks;
  hooks.on_alert = [&](sim::Time, const Transaction& t) { alerted_accounts.push_back(t.account()); };
  const RunReport report =
      run_pipeline(make_scenario({"traffic.generator=replay", "traffic.transactions=" + transactions,
                                  "traffic.confirmations=" + confirmations, "run.duration=1min",
                                  "model.threshold=-1"}),
                   hooks);
  const Counts& totals = report.metrics.totals();
  CHECK(totals.transactions == 3);
  CHECK(totals.fraud_transactions == 2);
  CHECK(totals.decisions == 3);
  CHECK(totals.alerts == 3);
  CHECK(totals.true_positives == 2);
  CHECK(totals.false_positives == 1);
  CHECK(totals.confirmations == 1);
  std::sort(alerted_accounts.begin(), alerted_accounts.end());
  CHECK(alerted_accounts ==
        std::vector<std::string>{"0x00000001", "0x00000001", "0x00000002"});
}

struct BadFile {
  const char* what;
  const char* content;
  int line;  // 0: the message names the file without a line
  const char* says;
};

// Each bad file must be refused with an InputError that starts with "path:line:" (or "path:" for
// line 0) and says what is wrong.
template <class Read>
void check_bad_files(const std::vector<BadFile>& cases, Read read) {
  for (const BadFile& c : cases) {
    CAPTURE(c.what);
    ScratchDirectory dir;
    const std::string path = dir.write("replay.csv", c.content);
    try {
      read(path);
      FAIL("no error for a bad file");
    } catch (const sim::InputError& e) {
      const std::string message = e.what();
      CAPTURE(message);
      const std::string where = c.line > 0 ? path + ":" + std::to_string(c.line) + ":" : path + ":";
      CHECK(message.rfind(where, 0) == 0);
      CHECK(message.find(c.says) != std::string::npos);
    }
  }
}

TEST_CASE("a bad transactions file is an input error naming the file and the line") {
  const std::vector<BadFile> cases = {
      {"bad time", "time,account,merchant,amount\n0,a,m,1\nsoon,a,m,1\n", 3, "time 'soon'"},
      {"negative time", "time,account,merchant,amount\n-1s,a,m,1\n", 2, "time '-1s'"},
      {"time without unit", "time,account,merchant,amount\n15,a,m,1\n", 2, "time '15'"},
      {"out-of-order time", "time,account,merchant,amount\n5s,a,m,1\n4999ms,a,m,1\n", 3,
       "earlier than the row before"},
      {"fractional amount", "time,account,merchant,amount\n1s,a,m,12.5\n", 2, "amount '12.5'"},
      {"negative amount", "time,account,merchant,amount\n1s,a,m,-3\n", 2, "amount '-3'"},
      {"amount too large", "time,account,merchant,amount\n1s,a,m,2147483648\n", 2,
       "amount '2147483648'"},
      {"wrong header", "when,account,merchant,amount\n1s,a,m,1\n", 1, "header must be"},
      {"header with an unknown column", "time,account,merchant,amount,score\n", 1,
       "header must be"},
      {"too few fields", "time,account,merchant,amount\n1s,a,m\n", 2, "expected 4 fields, found 3"},
      {"too many fields", "time,account,merchant,amount\n1s,a,m,1,1\n", 2,
       "expected 4 fields, found 5"},
      {"bad fraud flag", "time,account,merchant,amount,fraud\n1s,a,m,1,0\n2s,a,m,1,yes\n", 3,
       "fraud 'yes'"},
      {"empty account", "time,account,merchant,amount\n1s,,m,1\n", 2, "account is empty"},
      {"blank lines still count", "time,account,merchant,amount\n\n\n1s,a,m,x\n", 4, "amount 'x'"},
      {"empty file", "", 0, "empty"},
      {"only blank lines", "\n  \n", 0, "empty"},
  };
  check_bad_files(cases, [](const std::string& path) { read_replay_transactions(path); });
}

TEST_CASE("a missing replay file is an input error naming the file") {
  ScratchDirectory dir;
  const std::string path = (dir / "absent.csv").string();
  const std::string expected = path + ": cannot open the replay file";
  CHECK_THROWS_WITH_AS(read_replay_transactions(path), expected.c_str(), sim::InputError);
  CHECK_THROWS_WITH_AS(read_replay_confirmations(path), expected.c_str(), sim::InputError);
}

TEST_CASE("a bad confirmations file is an input error naming the file and the line") {
  const std::vector<BadFile> cases = {
      {"wrong header", "time,account,merchant\n", 1, "header must be 'time,account'"},
      {"out-of-order time", "time,account\n1h,a\n3599999ms,a\n", 3, "earlier than the row before"},
      {"bad time", "time,account\nlater,a\n", 2, "time 'later'"},
      {"wrong field count", "time,account\n1s,a,b\n", 2, "expected 2 fields, found 3"},
      {"empty file", "", 0, "empty"},
  };
  check_bad_files(cases, [](const std::string& path) { read_replay_confirmations(path); });
}

TEST_CASE("a run over a bad replay file fails before anything runs") {
  ScratchDirectory dir;
  const std::string transactions =
      dir.write("tx.csv", "time,account,merchant,amount\n1s,a,m,1\n2s,a,m,lots\n");
  bool progressed = false;
  RunHooks hooks;
  hooks.on_progress = [&](sim::Time, std::uint64_t) { progressed = true; };
  CHECK_THROWS_AS(run_pipeline(make_scenario({"traffic.generator=replay",
                                              "traffic.transactions=" + transactions}),
                               hooks),
                  sim::InputError);
  CHECK_FALSE(progressed);
}

}  // namespace
}  // namespace fraudsim
