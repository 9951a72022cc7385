#include "model/scenario.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model/pipeline.h"
#include "sim/settings.h"
#include "test_support.h"

namespace fraudsim {
namespace {

using testing::ScratchDirectory;
using testing::source_path;

// The message of the InputError that loading throws; fails the test when nothing is thrown.
std::string load_error(const std::string& path, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(path, overrides);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  FAIL("the scenario loaded without an error");
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void check_workshop_values(const Scenario& s) {
  CHECK(s.model.threshold == 80);
  CHECK(s.fraud.window == 30 * sim::kDay);
  CHECK_FALSE(s.fraud.reproduce_expire_defect);
  CHECK(s.merchant.latency.to_string() == "uniform(0s, 5s)");
  CHECK(s.merchant.failure_probability == 0.5);
  CHECK(s.merchant.unknown_probability == 0.0);
  CHECK(s.merchant.score_max == 100);
  CHECK(s.merchant_retry.attempts == 3);
  CHECK(s.traffic.generator == Generator::kWorkshop);
  CHECK(s.traffic.rate == doctest::Approx(100.0));
  CHECK(s.fraud.alert_confirm_share == doctest::Approx(0.05));
  CHECK(s.fraud.confirm_limit == doctest::Approx(10.0));
  CHECK(s.runtime.hop_latency == sim::kMillisecond);
}

TEST_CASE("the defaults are the workshop's own values") {
  const Scenario s = make_scenario({});
  check_workshop_values(s);
  CHECK(s.seed == 1);
  CHECK(s.duration == sim::kHour);
  // Every key of the schema is in the effective settings, at its default text.
  const auto& keys = scenario_schema().keys();
  REQUIRE(s.effective.size() == keys.size());
  for (const auto& key : keys) {
    CAPTURE(key.name);
    CHECK(s.effective.at(key.name) == key.default_value);
  }
}

TEST_CASE("the workshop scenario loads with the workshop's values") {
  const std::string path = source_path("scenarios/workshop.ini");
  const Scenario s = load_scenario(path, {});
  check_workshop_values(s);
  CHECK(s.name == "workshop");
  CHECK(s.path == path);
  CHECK(s.duration == sim::kHour);
  CHECK(s.series_interval == sim::kMinute);
  CHECK(s.seed == 1);
}

TEST_CASE("the baseline scenario loads with a returning population") {
  const Scenario s = load_scenario(source_path("scenarios/baseline.ini"), {});
  CHECK(s.name == "baseline");
  CHECK(s.traffic.generator == Generator::kPopulation);
  CHECK(s.duration == 60 * sim::kDay);
  CHECK(s.series_interval == sim::kDay);
  CHECK(s.traffic.accounts == 10000);
  CHECK(s.traffic.activity == doctest::Approx(2.0 / 86400));
  CHECK(s.fraud.compromise_rate == doctest::Approx(0.002 / 86400));
  CHECK(s.fraud.burst_length == 12 * sim::kHour);
  CHECK(s.fraud.confirm_share == doctest::Approx(0.6));
  CHECK(s.fraud.confirm_delay_median == 2 * sim::kDay);
  CHECK(s.model.threshold == 80);
  CHECK(s.fraud.window == 30 * sim::kDay);
  CHECK(s.merchant_retry.attempts == 3);
}

TEST_CASE("overrides replace the file's values, and a later override wins") {
  const Scenario s = load_scenario(source_path("scenarios/workshop.ini"),
                                   {"fraud.window=7d", "model.threshold=90", "model.threshold = 95",
                                    "merchant.unknown_probability=0.1"});
  CHECK(s.fraud.window == 7 * sim::kDay);
  CHECK(s.model.threshold == 95);
  CHECK(s.merchant.unknown_probability == doctest::Approx(0.1));
  CHECK(s.effective.at("fraud.window") == "7d");
  CHECK(s.effective.at("model.threshold") == "95");
  // Untouched keys keep the file's values.
  CHECK(s.effective.at("run.series_interval") == "1min");
  CHECK(s.merchant_retry.attempts == 3);
}

TEST_CASE("the seed argument wins over the file and over an override") {
  const std::string path = source_path("scenarios/workshop.ini");
  CHECK(load_scenario(path, {}).seed == 1);
  CHECK(load_scenario(path, {"run.seed=5"}).seed == 5);
  const Scenario s = load_scenario(path, {"run.seed=5"}, "9");
  CHECK(s.seed == 9);
  CHECK(s.effective.at("run.seed") == "9");
}

TEST_CASE("an unknown key is an input error naming the file, the line and a close key") {
  ScratchDirectory dir;
  const std::string path = dir.write("typo.ini", "[run]\nseed = 2\n\n[fraud]\nwindw = 7d\n");
  const std::string message = load_error(path);
  CAPTURE(message);
  CHECK(contains(message, path + ":5:"));
  CHECK(contains(message, "unknown key 'fraud.windw'"));
  CHECK(contains(message, "'7d'"));
  CHECK(contains(message, "did you mean 'fraud.window'?"));
}

TEST_CASE("an unknown key given as an override names the override and a close key") {
  const std::string message =
      load_error(source_path("scenarios/workshop.ini"), {"model.treshold=70"});
  CAPTURE(message);
  CHECK(contains(message, "--set model.treshold=70"));
  CHECK(contains(message, "unknown key 'model.treshold'"));
  CHECK(contains(message, "did you mean 'model.threshold'?"));
}

TEST_CASE("an unknown key far from every known key gets no suggestion") {
  ScratchDirectory dir;
  const std::string path = dir.write("far.ini", "[weather]\nforecast = rain\n");
  const std::string message = load_error(path);
  CAPTURE(message);
  CHECK(contains(message, path + ":2:"));
  CHECK(contains(message, "unknown key 'weather.forecast'"));
  CHECK_FALSE(contains(message, "did you mean"));
}

struct BadValue {
  const char* what;
  const char* section;
  const char* key;
  const char* value;
  const char* says;
};

TEST_CASE("a bad value is an input error naming the file, the line, the key and the value") {
  const std::vector<BadValue> cases = {
      {"unknown duration unit", "fraud", "window", "30x", "unknown unit 'x'"},
      {"duration without a unit", "fraud", "window", "30", "no unit"},
      {"negative duration", "fraud", "window", "-7d", "negative duration"},
      {"negative probability", "merchant", "failure_probability", "-0.1", "between 0 and 1"},
      {"probability above one", "fraud", "alert_confirm_share", "1.5", "between 0 and 1"},
      {"negative whole number", "merchant", "attempts", "-1", "must lie between 1 and 100"},
      {"zero attempts", "merchant", "attempts", "0", "must lie between 1 and 100"},
      {"absurd run length", "run", "duration", "100000d", "must lie between"},
      {"absurd window", "fraud", "window", "100000d", "must lie between"},
      {"rate without a unit", "traffic", "rate", "100", "expected a rate"},
      {"rate with an unknown unit", "traffic", "rate", "100/week", "unknown rate unit"},
      {"negative rate", "traffic", "rate", "-5/s", "must not be negative"},
      {"threshold out of range", "model", "threshold", "101", "must lie between -1 and 100"},
      {"not a number", "model", "threshold", "high", "expected a whole number"},
      {"not a boolean", "fraud", "reproduce_expire_defect", "yes", "expected true or false"},
      {"unknown generator", "traffic", "generator", "poisson", "expected one of"},
  };
  for (const BadValue& c : cases) {
    CAPTURE(c.what);
    ScratchDirectory dir;
    // The bad line is the fourth, after a good section, to show the line is found, not assumed.
    const std::string path = dir.write(
        "bad.ini", std::string("[run]\nseed = 3\n[") + c.section + "]\n" + c.key + " = " + c.value +
                       "   # a comment\n");
    const std::string message = load_error(path);
    CAPTURE(message);
    CHECK(contains(message, path + ":4:"));
    CHECK(contains(message, std::string(c.section) + "." + c.key));
    CHECK(contains(message, std::string("'") + c.value + "'"));
    CHECK(contains(message, c.says));
  }
}

TEST_CASE("a bad value given as an override names the override, the key and the value") {
  const std::string message =
      load_error(source_path("scenarios/workshop.ini"), {"run.duration=100000d"});
  CAPTURE(message);
  CHECK(contains(message, "--set run.duration=100000d"));
  CHECK(contains(message, "run.duration = '100000d'"));
  CHECK(contains(message, "must lie between"));
}

TEST_CASE("an override that is not section.key=value is an input error quoting it") {
  for (const std::string text : {"fraud.window", "window=7d", "=7d", ".window=7d", "fraud.=7d"}) {
    CAPTURE(text);
    const std::string message = load_error(source_path("scenarios/workshop.ini"), {text});
    CAPTURE(message);
    CHECK(contains(message, "--set '" + text + "'"));
    CHECK(contains(message, "section.key=value"));
  }
}

TEST_CASE("a missing scenario file is an input error naming the file") {
  ScratchDirectory dir;
  const std::string path = (dir / "absent.ini").string();
  const std::string message = load_error(path);
  CAPTURE(message);
  CHECK(contains(message, path));
  CHECK(contains(message, "cannot open"));
}

TEST_CASE("a malformed scenario file is an input error naming the line") {
  struct Case {
    const char* what;
    const char* content;
    int line;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"line without '='", "[run]\nseed = 1\nduration 1h\n", 3, "expected 'key = value'"},
      {"key outside any section", "seed = 1\n[run]\n", 1, "outside any [section]"},
      {"broken section header", "[run\nseed = 1\n", 1, "section header"},
      {"key given twice", "[run]\nseed = 1\n\nseed = 2\n", 4, "given again (first on line 2)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    ScratchDirectory dir;
    const std::string path = dir.write("bad.ini", c.content);
    const std::string message = load_error(path);
    CAPTURE(message);
    CHECK(contains(message, path + ":" + std::to_string(c.line) + ":"));
    CHECK(contains(message, c.says));
  }
}

TEST_CASE("failure and unknown probabilities adding up to more than one are an input error") {
  ScratchDirectory dir;
  const std::string path = dir.write(
      "odds.ini", "[merchant]\nfailure_probability = 0.6\nunknown_probability = 0.5\n");
  const std::string message = load_error(path);
  CAPTURE(message);
  CHECK(contains(message, path + ":3:"));
  CHECK(contains(message, "merchant.failure_probability = '0.6'"));
  CHECK(contains(message, "merchant.unknown_probability = '0.5'"));
  CHECK(contains(message, "1.1"));

  // Exactly one is allowed: every attempt is then unknown or failed.
  const std::string fine =
      dir.write("edge.ini", "[merchant]\nfailure_probability = 0.5\nunknown_probability = 0.5\n");
  CHECK_NOTHROW(load_scenario(fine, {}));
}

TEST_CASE("probabilities made too large by an override name the override") {
  const std::string message = load_error(source_path("scenarios/workshop.ini"),
                                         {"merchant.unknown_probability=0.75"});
  CAPTURE(message);
  CHECK(contains(message, "--set merchant.unknown_probability=0.75"));
  CHECK(contains(message, "merchant.failure_probability = '0.5'"));
  CHECK(contains(message, "merchant.unknown_probability = '0.75'"));
  CHECK_THROWS_AS(make_scenario({"merchant.failure_probability=0.9",
                                 "merchant.unknown_probability=0.2"}),
                  sim::InputError);
}

TEST_CASE("replay without a transactions file is an input error naming the file and the line") {
  ScratchDirectory dir;
  const std::string path = dir.write("replay.ini", "[run]\nseed = 1\n[traffic]\ngenerator = replay\n");
  const std::string message = load_error(path);
  CAPTURE(message);
  CHECK(contains(message, path + ":4:"));
  CHECK(contains(message, "traffic.generator = 'replay'"));
  CHECK(contains(message, "traffic.transactions"));

  const std::string from_override =
      load_error(source_path("scenarios/workshop.ini"), {"traffic.generator=replay"});
  CAPTURE(from_override);
  CHECK(contains(from_override, "--set traffic.generator=replay"));
  CHECK(contains(from_override, "traffic.transactions"));
  CHECK_THROWS_AS(make_scenario({"traffic.generator=replay"}), sim::InputError);
}

TEST_CASE("replay files are found relative to the scenario file") {
  ScratchDirectory dir;
  std::filesystem::create_directories(dir / "scenarios" / "data");
  const std::string transactions =
      dir.write("scenarios/data/tx.csv",
                "time,account,merchant,amount,fraud\n0,0x00000001,Amberworks,10,1\n");
  const std::string confirmations = dir.write("confirm.csv", "time,account\n1s,0x00000001\n");
  const std::string path =
      dir.write("scenarios/replay.ini",
                "[run]\nduration = 1min\n[traffic]\ngenerator = replay\n"
                "transactions = data/tx.csv\nconfirmations = ../confirm.csv\n");

  const Scenario s = load_scenario(path, {});
  CHECK(s.name == "replay");
  CHECK(std::filesystem::equivalent(s.traffic.replay_transactions, transactions));
  CHECK(std::filesystem::equivalent(s.traffic.replay_confirmations, confirmations));
  CHECK(std::filesystem::path(s.traffic.replay_transactions).is_absolute());

  // The run reads them from there, whatever the working directory.
  const RunReport report = run_pipeline(s);
  CHECK(report.metrics.totals().transactions == 1);
  CHECK(report.metrics.totals().fraud_transactions == 1);
  CHECK(report.metrics.totals().confirmations == 1);
}

TEST_CASE("an absolute replay path is kept as it is") {
  ScratchDirectory dir;
  const std::string transactions = dir.write("tx.csv", "time,account,merchant,amount\n");
  const std::string path = dir.write(
      "sub.ini", "[traffic]\ngenerator = replay\ntransactions = " + transactions + "\n");
  CHECK(load_scenario(path, {}).traffic.replay_transactions == transactions);
}

TEST_CASE("a replay path given as an override is relative to the working directory, as typed") {
  ScratchDirectory dir;
  std::filesystem::create_directories(dir / "deep");
  const std::string path = dir.write("deep/s.ini", "[traffic]\ngenerator = replay\n");
  const Scenario s = load_scenario(path, {"traffic.transactions=tx.csv"});
  CHECK(s.traffic.replay_transactions == "tx.csv");
}

TEST_CASE("a replay path from the file stays relative to the file when another key is overridden") {
  ScratchDirectory dir;
  std::filesystem::create_directories(dir / "deep");
  const std::string path =
      dir.write("deep/s.ini", "[traffic]\ngenerator = replay\ntransactions = tx.csv\n");
  const Scenario s = load_scenario(path, {"traffic.confirmations=c.csv"});
  CHECK(s.traffic.replay_transactions == (dir / "deep" / "tx.csv").string());
  CHECK(s.traffic.replay_confirmations == "c.csv");
}

TEST_CASE("a scenario made from assignments alone keeps replay paths as given") {
  const Scenario s =
      make_scenario({"traffic.generator=replay", "traffic.transactions=data/tx.csv"});
  CHECK(s.name == "inline");
  CHECK(s.traffic.replay_transactions == "data/tx.csv");
}

}  // namespace
}  // namespace fraudsim
