// The model's score rules (the workshop's "change the model" exercise) and the extra features of
// the FeatureVector (its "add a feature" exercise).
#include <doctest/doctest.h>

#include <sstream>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "model/score_rules.h"
#include "sim/settings.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

workshop::FeatureVector features(int count, std::optional<int> merchant_score, int amount) {
  workshop::FeatureVector f;
  f.set_fraud_count(count);
  if (merchant_score) f.set_merchant_score(*merchant_score);
  f.set_amount(amount);
  return f;
}

std::string parse_error(const std::string& text) {
  try {
    parse_score_rules(text);
  } catch (const sim::ValueError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("score rules: a rule that sets the score applies only where its condition holds") {
  const ScoreRules rules = parse_score_rules("amount > 1000 => 0");
  CHECK(apply_score_rules(rules, features(0, 50, 1001), 95) == 0);
  CHECK(apply_score_rules(rules, features(0, 50, 1000), 95) == 95);
}

TEST_CASE("score rules: rules apply in order, adding and taking away, and the score stays in 0..100") {
  const ScoreRules rules = parse_score_rules("count >= 2 => +30, merchant_score < 10 => -50, amount = 7 => 100");
  CHECK(apply_score_rules(rules, features(2, 50, 0), 60) == 90);
  CHECK(apply_score_rules(rules, features(3, 50, 0), 80) == 100);  // 110, clamped
  CHECK(apply_score_rules(rules, features(0, 5, 0), 20) == 0);     // -30, clamped
  CHECK(apply_score_rules(rules, features(2, 5, 7), 0) == 100);    // the last rule sets it
  CHECK(apply_score_rules(parse_score_rules("none"), features(9, 9, 9), 42) == 42);
  CHECK(parse_score_rules("").empty());
}

TEST_CASE("score rules: a feature the vector lacks matches no condition") {
  const ScoreRules rules =
      parse_score_rules("merchant_score != 50 => 1, since_fraud < 1d => 2, merchant != Peakhub => 3");
  CHECK(apply_score_rules(rules, features(0, std::nullopt, 0), 60) == 60);
  workshop::FeatureVector f = features(0, 50, 0);
  f.set_since_fraud(2 * sim::kHour);
  CHECK(apply_score_rules(rules, f, 60) == 2);
  f.set_merchant("Peakhub");
  CHECK(apply_score_rules(rules, f, 60) == 2);
  f.set_merchant("Overgram");
  CHECK(apply_score_rules(rules, f, 60) == 3);
}

TEST_CASE("score rules: each malformed rule is refused naming it and what is wrong") {
  CHECK(parse_error("amount > 1000") ==
        "rule 'amount > 1000': expected FEATURE COMPARISON VALUE => SCORE, e.g. amount > 1000 => 0");
  CHECK(parse_error("price > 1000 => 0").find("unknown feature 'price'") != std::string::npos);
  CHECK(parse_error("amount ~ 1000 => 0").find("expected a comparison") != std::string::npos);
  CHECK(parse_error("amount > => 0").find("has no value") != std::string::npos);
  CHECK(parse_error("amount > lots => 0").find("value 'lots'") != std::string::npos);
  CHECK(parse_error("merchant > Peakhub => 0").find("= or != only") != std::string::npos);
  CHECK(parse_error("since_fraud < 3 => 0").find("value '3'") != std::string::npos);
  CHECK(parse_error("amount > 1 => 101").find("score '101'") != std::string::npos);
  CHECK(parse_error("amount > 1 =>").find("nothing after '=>'") != std::string::npos);
  CHECK(parse_error("amount > 1 => 0,, count > 1 => 0").find("an empty rule") != std::string::npos);
}

TEST_CASE("a scenario refuses rules and weights on a feature the FeatureVector does not carry") {
  const auto refused = [](std::vector<std::string> settings) -> std::string {
    try {
      make_scenario(settings);
    } catch (const sim::InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(refused({"model.rules=merchant = Peakhub => 100"}) ==
        "--set model.rules=merchant = Peakhub => 100: model.rules = 'merchant = Peakhub => 100' uses merchant, which the FeatureVector "
        "lacks: add it to model.extra_features");
  CHECK(refused({"model.kind=weighted", "model.weight_since_fraud=-5"}).find(
            "model.weight_since_fraud = '-5' weighs since_fraud") != std::string::npos);
  CHECK(refused({"model.extra_features=merchant, merchant"}).find("given twice") != std::string::npos);
  CHECK(refused({"model.extra_features=colour"}).find("model.extra_features = 'colour'") != std::string::npos);
  CHECK(refused({"model.extra_features=merchant, since_fraud", "model.rules=merchant = Peakhub => 100",
                 "model.kind=weighted", "model.weight_since_fraud=-5"})
            .empty());
}

TEST_CASE("the 1000 USD rule leaves no alert above 1000 USD, and changes nothing below it") {
  // The workshop's traffic: amounts uniform in [0, 100000), about one in five scores above 80.
  const std::vector<std::string> base{"run.duration=2min"};
  std::vector<std::string> ruled = base;
  ruled.push_back("model.rules=amount > 1000 => 0");
  const auto alerts_of = [](const Scenario& scenario) {
    std::vector<workshop::Transaction> alerts;
    RunHooks hooks;
    hooks.on_alert = [&](sim::Time, const workshop::Transaction& t) { alerts.push_back(t); };
    run_pipeline(scenario, hooks);
    return alerts;
  };
  const auto before = alerts_of(load_scenario(source_path("scenarios/workshop.ini"), base));
  const auto after = alerts_of(load_scenario(source_path("scenarios/workshop.ini"), ruled));
  std::vector<std::uint64_t> small_before;
  for (const auto& t : before) {
    if (t.amount() <= 1000) small_before.push_back(t.id());
  }
  REQUIRE(before.size() > 1000);
  REQUIRE(!small_before.empty());
  std::vector<std::uint64_t> after_ids;
  for (const auto& t : after) {
    CHECK(t.amount() <= 1000);
    after_ids.push_back(t.id());
  }
  CHECK(after_ids == small_before);  // the same draws: exactly the small alerts remain
}

TEST_CASE("the extra features reach the model with the merchant and the time since the latest fraud") {
  // Account A confirms fraud at 10 s and 20 s, with a 1-minute window (expiries at 70 s and 80 s).
  // Each of its transactions reaches the model 12 ms after it enters (1 ms hops, a 10 ms merchant
  // service), so the features are assembled at T + 12 ms.
  ScratchDirectory files;
  files.write("tx.csv",
              "time,account,merchant,amount\n"
              "30s,0x00A00001,Peakhub,100\n"
              "75s,0x00A00001,Overgram,200\n"
              "85s,0x00A00001,Peakhub,300\n"
              "86s,0x00B00002,Peakhub,400\n");
  files.write("confirm.csv", "time,account\n10s,0x00A00001\n20s,0x00A00001\n");
  const std::string path = files.write(
      "features.ini",
      "[run]\nduration = 2min\n[traffic]\ngenerator = replay\ntransactions = tx.csv\n"
      "confirmations = confirm.csv\n[fraud]\nwindow = 1min\n"
      "[merchant]\nlatency = fixed(10ms)\nfailure_probability = 0\n"
      "[model]\nextra_features = merchant, since_fraud\n");
  std::ostringstream trace;
  sim::TraceWriter writer(trace, sim::TraceFilter{});
  RunHooks hooks;
  hooks.trace = &writer;
  run_pipeline(load_scenario(path, {}), hooks);

  std::vector<std::string> seen;  // each FeatureVector the model received: when, and its features
  std::istringstream lines(trace.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" FeatureVector ") != std::string::npos && line.find("ververica/model/") != std::string::npos) {
      seen.push_back(line.substr(0, line.find(' ')) + line.substr(line.find(" FeatureVector ") + 14));
    }
  }
  REQUIRE(seen.size() == 4);
  // At 30 s: two frauds, the latest 10.012 s ago. At 75 s the first has left the window, the
  // latest is 55.012 s old. At 85 s the window is empty: no time since. B never had fraud.
  CHECK(seen[0].find("30013000 {fraud_count: 2") == 0);
  CHECK(seen[0].find("merchant: \"Peakhub\" since_fraud: 10012000}") != std::string::npos);
  CHECK(seen[1].find("75013000 {fraud_count: 1") == 0);
  CHECK(seen[1].find("merchant: \"Overgram\" since_fraud: 55012000}") != std::string::npos);
  CHECK(seen[2].find("85013000 {merchant_score") == 0);  // a count of 0 is not printed
  CHECK(seen[2].find("since_fraud") == std::string::npos);
  CHECK(seen[2].find("merchant: \"Peakhub\"") != std::string::npos);
  CHECK(seen[3].find("since_fraud") == std::string::npos);
}

}  // namespace fraudsim::testing
