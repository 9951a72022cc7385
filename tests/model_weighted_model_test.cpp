// The deterministic (weighted) model: its score is the documented formula of the features, and a
// run with it decides exactly by that formula.
#include <doctest/doctest.h>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "model/weighted_model.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

workshop::FeatureVector features(int count, std::optional<int> merchant, int amount) {
  workshop::FeatureVector f;
  f.set_fraud_count(count);
  if (merchant) f.set_merchant_score(*merchant);
  f.set_amount(amount);
  return f;
}

}  // namespace

TEST_CASE("the weighted model scores bias plus the weighted features, rounded") {
  const ModelWeights w;  // bias 0, count 10, merchant 0.5, amount 0.0005
  CHECK(WeightedModel::score(w, features(2, 40, 10'000)) == 45);
  CHECK(WeightedModel::score(w, features(0, 0, 0)) == 0);
  CHECK(WeightedModel::score(w, features(1, 3, 0)) == 12);  // 11.5 rounds away from zero
  ModelWeights biased = w;
  biased.bias = -5;
  CHECK(WeightedModel::score(biased, features(2, 40, 10'000)) == 40);
}

TEST_CASE("the weighted model uses the missing-merchant score when the merchant feature is an error") {
  ModelWeights w;
  CHECK(WeightedModel::score(w, features(0, std::nullopt, 0)) == 25);
  w.missing_merchant = 100;
  CHECK(WeightedModel::score(w, features(0, std::nullopt, 0)) == 50);
}

TEST_CASE("the weighted model weighs the days since the latest fraud, and leaves the term out without one") {
  ModelWeights w;
  w.since_fraud = -4;  // four points fewer per day
  workshop::FeatureVector f = features(3, 40, 0);  // 30 + 20 = 50 before the new term
  CHECK(WeightedModel::score(w, f) == 50);
  f.set_since_fraud(sim::kDay + 12 * sim::kHour);
  CHECK(WeightedModel::score(w, f) == 44);
  f.set_since_fraud(0);
  CHECK(WeightedModel::score(w, f) == 50);
}

TEST_CASE("the weighted model's score stays within 0 and 100") {
  const ModelWeights w;
  CHECK(WeightedModel::score(w, features(50, 100, 1'000'000)) == 100);
  ModelWeights negative = w;
  negative.bias = -1000;
  CHECK(WeightedModel::score(negative, features(1, 1, 1)) == 0);
}

TEST_CASE("a run with the weighted model alerts exactly where the formula passes the threshold") {
  ScratchDirectory files;
  // Merchant scores are all 0 (score_max 1) and no account has confirmed fraud, so the score is
  // amount / 2000: 85, 80 and 81.
  files.write("tx.csv",
              "time,account,merchant,amount\n"
              "0s,0x00100001,Amberworks,170000\n"
              "1s,0x00100002,Amberworks,160000\n"
              "2s,0x00100003,Amberworks,162000\n");
  const std::string path = files.write(
      "weighted.ini",
      "[run]\nduration = 1min\n[traffic]\ngenerator = replay\ntransactions = tx.csv\n"
      "[merchant]\nlatency = fixed(10ms)\nfailure_probability = 0\nscore_max = 1\n"
      "[model]\nkind = weighted\nthreshold = 80\n");
  std::vector<std::string> alerted;
  std::vector<int> scores;
  RunHooks hooks;
  hooks.on_alert = [&](sim::Time, const workshop::Transaction& t) { alerted.push_back(t.account()); };
  hooks.on_decision = [&](const Decision& d) { scores.push_back(d.score); };
  const RunReport report = run_pipeline(load_scenario(path, {}), hooks);
  CHECK(scores == std::vector<int>{85, 80, 81});
  CHECK(alerted == std::vector<std::string>{"0x00100001", "0x00100003"});
  CHECK(report.metrics.totals().alerts == 2);
}

}  // namespace fraudsim::testing
