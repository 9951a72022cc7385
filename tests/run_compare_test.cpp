// fraudsim compare as a user runs it: paired variants, identical results for any thread count,
// numbers equal to plain runs, and bad input refused before anything runs or is written.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

using Json = nlohmann::json;

// The baseline made small: a few days of 1,500 accounts, often compromised, so a run takes a
// fraction of a second and a short fraud window still changes alerts.
const std::vector<std::string> kSmall{"--set", "run.duration=4d", "--set", "traffic.accounts=1500",
                                      "--set", "fraud.compromise_rate=0.02/d"};

CliResult compare(const std::filesystem::path& out, std::vector<std::string> arguments) {
  std::vector<std::string> args{"compare", source_path("scenarios/baseline.ini"), "--quiet", "--out",
                                out.string()};
  args.insert(args.end(), kSmall.begin(), kSmall.end());
  args.insert(args.end(), arguments.begin(), arguments.end());
  return run_fraudsim(args);
}

Json compare_json(const std::filesystem::path& out) {
  return Json::parse(read_file(out / "compare.json"));
}

const Json& run_of(const Json& comparison, std::size_t variant, std::size_t seed_index) {
  return comparison.at("variants").at(variant).at("runs").at(seed_index);
}

const char* const kMetrics[] = {"transactions",  "alerts",    "alerts_per_day", "true_positives",
                                "false_positives", "precision", "recall",         "confirmations",
                                "decision_latency_p50_us", "decision_latency_p99_us"};

// Runs compare with bad input and checks it is refused the way every command refuses it.
void check_rejected(const std::vector<std::string>& arguments, const std::vector<std::string>& named) {
  ScratchDirectory scratch;
  const CliResult result = compare(scratch / "out", arguments);
  CAPTURE(result.err);
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err.rfind("fraudsim: error: ", 0) == 0);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  for (const std::string& part : named) CHECK(result.err.find(part) != std::string::npos);
  CHECK(listing(scratch.path()).empty());
}

}  // namespace

TEST_CASE("compare writes compare.json, compare.csv and compare.html and nothing else") {
  ScratchDirectory scratch;
  const CliResult result = compare(scratch / "out", {"--vary", "fraud.window=1h,30d", "--seeds", "1..3"});
  REQUIRE(result.exit_code == 0);
  CHECK(listing(scratch.path()) == std::vector<std::string>{"out"});
  CHECK(listing(scratch / "out") ==
        std::vector<std::string>{"compare.csv", "compare.html", "compare.json"});
  const Json c = compare_json(scratch / "out");
  CHECK(c.at("scenario") == "baseline");
  CHECK(c.at("seeds") == Json::array({1, 2, 3}));
  REQUIRE(c.at("variants").size() == 2);
  CHECK(c.at("variants").at(0).at("settings") == Json{{"fraud.window", "1h"}});
  CHECK(c.at("variants").at(1).at("settings") == Json{{"fraud.window", "30d"}});
  CHECK(c.at("variants").at(0).at("difference_from_A").is_null());
  CHECK(c.at("variants").at(1).at("runs").size() == 3);
  // compare.csv: a header and one row per variant and metric.
  const std::string csv = read_file(scratch / "out" / "compare.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 10);
}

TEST_CASE("every variant of a seed sees the same traffic, so only the varied setting differs") {
  ScratchDirectory scratch;
  REQUIRE(compare(scratch / "out", {"--vary", "fraud.window=1h,30d", "--seeds", "1..3"}).exit_code == 0);
  const Json c = compare_json(scratch / "out");
  bool alerts_moved = false;
  for (std::size_t s = 0; s < 3; ++s) {
    const Json& a = run_of(c, 0, s);
    const Json& b = run_of(c, 1, s);
    CAPTURE(s);
    // The same transactions, frauds and customer confirmations...
    CHECK(a.at("transactions") == b.at("transactions"));
    CHECK(a.at("confirmations") == b.at("confirmations"));
    // ...but the window changed behaviour.
    CHECK(a.at("fingerprint") != b.at("fingerprint"));
    alerts_moved = alerts_moved || a.at("alerts") != b.at("alerts");
  }
  CHECK(alerts_moved);
  const Json& difference = c.at("variants").at(1).at("difference_from_A");
  CHECK(difference.at("transactions").at("mean") == 0);
  CHECK(difference.at("transactions").at("significant") == false);
}

TEST_CASE("identical variants give zero differences for every seed") {
  ScratchDirectory scratch;
  REQUIRE(compare(scratch / "out", {"--vary", "fraud.window=30d,30d", "--seeds", "1..4"}).exit_code == 0);
  const Json c = compare_json(scratch / "out");
  for (std::size_t s = 0; s < 4; ++s) {
    CAPTURE(s);
    CHECK(run_of(c, 0, s) == run_of(c, 1, s));
  }
  const Json& difference = c.at("variants").at(1).at("difference_from_A");
  for (const char* metric : kMetrics) {
    CAPTURE(metric);
    const Json& d = difference.at(metric);
    CHECK(d.at("n") == 4);
    CHECK(d.at("mean") == 0);
    CHECK(d.at("low") == 0);
    CHECK(d.at("high") == 0);
    CHECK(d.at("significant") == false);
  }
}

TEST_CASE("one thread and two threads write byte-identical results") {
  ScratchDirectory scratch;
  const std::vector<std::string> arguments{"--vary", "fraud.window=1h,30d", "--vary",
                                           "model.threshold=80,90", "--seeds", "1..3"};
  std::vector<std::string> one = arguments, two = arguments;
  one.insert(one.end(), {"--threads", "1"});
  two.insert(two.end(), {"--threads", "2"});
  REQUIRE(compare(scratch / "one", one).exit_code == 0);
  REQUIRE(compare(scratch / "two", two).exit_code == 0);
  for (const char* file : {"compare.json", "compare.csv", "compare.html"}) {
    CAPTURE(file);
    CHECK(read_file(scratch / "one" / file) == read_file(scratch / "two" / file));
  }
}

TEST_CASE("a variant's numbers for a seed equal a plain run of that variant and seed") {
  ScratchDirectory scratch;
  REQUIRE(compare(scratch / "out", {"--vary", "fraud.window=1h,30d", "--seeds", "4,2"}).exit_code == 0);
  const Json comparison = compare_json(scratch / "out");
  const Json& from_compare = run_of(comparison, 0, 1);  // window 1h, seed 2
  std::vector<std::string> args{"run", source_path("scenarios/baseline.ini"), "--quiet", "--seed", "2",
                                "--set", "fraud.window=1h", "--out", (scratch / "run").string()};
  args.insert(args.end(), kSmall.begin(), kSmall.end());
  REQUIRE(run_fraudsim(args).exit_code == 0);
  const Json summary = Json::parse(read_file(scratch / "run" / "summary.json"));
  CHECK(from_compare.at("seed") == 2);
  CHECK(from_compare.at("fingerprint") == summary.at("fingerprint"));
  CHECK(from_compare.at("transactions") == summary.at("transactions").at("ingested"));
  CHECK(from_compare.at("alerts") == summary.at("alerts").at("total"));
  CHECK(from_compare.at("alerts_per_day").get<double>() ==
        doctest::Approx(summary.at("alerts").at("total").get<double>() / 4));
  CHECK(from_compare.at("true_positives") == summary.at("alerts").at("true_positives"));
  CHECK(from_compare.at("false_positives") == summary.at("alerts").at("false_positives"));
  CHECK(from_compare.at("precision") == summary.at("alerts").at("precision"));
  CHECK(from_compare.at("recall") == summary.at("alerts").at("recall"));
  CHECK(from_compare.at("confirmations") == summary.at("confirmations"));
  CHECK(from_compare.at("decision_latency_p50_us") == summary.at("decision_latency_us").at("p50"));
  CHECK(from_compare.at("decision_latency_p99_us") == summary.at("decision_latency_us").at("p99"));
}

TEST_CASE("the table shows every variant side by side and marks significant differences") {
  ScratchDirectory scratch;
  std::vector<std::string> args{"compare", source_path("scenarios/baseline.ini"), "--out",
                                (scratch / "out").string(), "--vary", "model.threshold=80,95",
                                "--seeds", "1..3"};
  args.insert(args.end(), kSmall.begin(), kSmall.end());
  const CliResult result = run_fraudsim(args);
  REQUIRE(result.exit_code == 0);
  CAPTURE(result.out);
  CHECK(result.out.find("fraudsim compare · baseline · seeds 1..3 (3) · 2 variants · 6 runs") == 0);
  CHECK(result.out.find("  A  model.threshold=80\n  B  model.threshold=95\n") != std::string::npos);
  // A higher threshold raises fewer alerts on every seed: a significant difference.
  const Json c = compare_json(scratch / "out");
  const Json& alerts = c.at("variants").at(1).at("difference_from_A").at("alerts");
  CHECK(alerts.at("high").get<double>() < 0);
  CHECK(alerts.at("significant") == true);
  const auto row = result.out.find("\nalerts ");
  REQUIRE(row != std::string::npos);
  const std::string difference_line = result.out.substr(result.out.find('\n', row + 1) + 1);
  CHECK(difference_line.rfind("  vs A", 0) == 0);
  CHECK(difference_line.substr(0, difference_line.find('\n')).back() == '*');
  CHECK(result.out.find("differences are paired by seed against A") != std::string::npos);
  CHECK(result.out.find("6 runs on ") != std::string::npos);
}

TEST_CASE("the picture is one self-contained page with a line per variant and bars per variant") {
  ScratchDirectory scratch;
  REQUIRE(compare(scratch / "out", {"--vary", "model.threshold=80,95", "--seeds", "1..2"}).exit_code == 0);
  const std::string html = read_file(scratch / "out" / "compare.html");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // no outside resource
  const auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count("<svg ") == 3);
  // Daily alerts: a line and a band per variant; their difference from A: B's alone.
  CHECK(count("<polyline ") == 2 + 1);
  CHECK(count("<polygon ") == 2 + 1);
  CHECK(count("<rect x=") == 2 + 1 + 2 + 4);  // legends, and precision and recall bars
  CHECK(html.find("B · model.threshold=95") != std::string::npos);
}

TEST_CASE("without ground truth the picture says so instead of drawing empty bars") {
  ScratchDirectory scratch;
  const CliResult result = run_fraudsim({"compare", source_path("scenarios/workshop.ini"), "--quiet",
                                         "--out", (scratch / "out").string(), "--seeds", "1,2",
                                         "--set", "run.duration=20s"});
  REQUIRE(result.exit_code == 0);
  const std::string html = read_file(scratch / "out" / "compare.html");
  CHECK(html.find("carries no ground truth") != std::string::npos);
  const Json c = compare_json(scratch / "out");
  CHECK(c.at("variants").at(0).at("statistics").at("precision").is_null());
  CHECK(c.at("variants").at(0).at("statistics").at("alerts").at("n") == 2);
}

TEST_CASE("runs whose job failed are counted, named, and make the exit code 3") {
  ScratchDirectory scratch;
  // The model is down from 10:00 to 12:00 and calls time out after 1 minute, unless the timeout
  // is long enough to wait the outage out.
  const CliResult result = run_fraudsim(
      {"compare", source_path("scenarios/model-outage-long.ini"), "--quiet", "--out",
       (scratch / "out").string(), "--set", "traffic.rate=5/s", "--vary", "model.call_timeout=1min,1h",
       "--seeds", "1,2"});
  CAPTURE(result.err);
  CHECK(result.exit_code == 3);
  CHECK(result.err.find("fraudsim: the job failed in 2 of 4 runs:\n  A seed 1 at 0d 00:11:") == 0);
  CHECK(result.err.find("  A seed 2 at 0d 00:11:") != std::string::npos);
  const Json c = compare_json(scratch / "out");
  CHECK(c.at("variants").at(0).at("failed_runs") == 2);
  CHECK(c.at("variants").at(1).at("failed_runs") == 0);
  CHECK(run_of(c, 0, 0).at("job_failure").get<std::string>().rfind("0d 00:11:", 0) == 0);
  CHECK(run_of(c, 1, 0).at("job_failure").is_null());
}

TEST_CASE("a bad --vary is refused before anything runs, naming what is wrong") {
  check_rejected({"--vary", "fraud.windw=7d,30d"}, {"--vary fraud.windw=7d,30d", "unknown key 'fraud.windw'",
                                                    "did you mean 'fraud.window'"});
  check_rejected({"--vary", "fraud.window=7d,30x"}, {"--vary fraud.window=7d,30x", "fraud.window = '30x'"});
  check_rejected({"--vary", "fraud.window="}, {"no values to vary fraud.window over"});
  check_rejected({"--vary", "fraud.window=7d,,30d"}, {"an empty value"});
  check_rejected({"--vary", "fraud.window=7d", "--vary", "fraud.window=30d"}, {"varied twice"});
  check_rejected({"--vary", "run.seed=1,2"}, {"use --seeds"});
  check_rejected({"--vary", "fraud.window=7d,30d", "--set", "fraud.window=1d"},
                 {"also given by --set fraud.window=1d"});
}

TEST_CASE("bad --seeds or --threads are refused before anything runs") {
  check_rejected({"--seeds", "3..1"}, {"--seeds '3..1'", "runs backwards"});
  check_rejected({"--seeds", "1,one"}, {"'one' is not a seed"});
  check_rejected({"--seeds", ""}, {"--seeds: the list is empty"});
  check_rejected({"--threads", "0"}, {"--threads 0"});
}

TEST_CASE("exercise 3: a higher threshold gives fewer alerts on the same traffic, seed by seed") {
  ScratchDirectory scratch;
  REQUIRE(compare(scratch / "out", {"--vary", "model.threshold=70,80,90", "--seeds", "1..3"}).exit_code == 0);
  const Json c = compare_json(scratch / "out");
  for (std::size_t seed = 0; seed < 3; ++seed) {
    CAPTURE(seed);
    const auto alerts = [&](std::size_t v) { return run_of(c, v, seed).at("alerts").get<double>(); };
    CHECK(alerts(0) > alerts(1));
    CHECK(alerts(1) > alerts(2));
    CHECK(run_of(c, 0, seed).at("transactions") == run_of(c, 2, seed).at("transactions"));
  }
  // The one setting is all that differs, so every difference is significant.
  CHECK(c.at("variants").at(2).at("difference_from_A").at("alerts").at("significant") == true);
}

TEST_CASE("exercise 4: the 30-day window counts more frauds than the 7-day one and alerts more, seed by seed") {
  ScratchDirectory scratch;
  REQUIRE(compare(scratch / "out", {"--vary", "fraud.window=7d,30d", "--seeds", "1..3", "--set",
                                    "run.duration=12d"})
              .exit_code == 0);
  const Json c = compare_json(scratch / "out");
  for (std::size_t seed = 0; seed < 3; ++seed) {
    CAPTURE(seed);
    CHECK(run_of(c, 1, seed).at("alerts").get<double>() > run_of(c, 0, seed).at("alerts").get<double>());
    CHECK(run_of(c, 1, seed).at("confirmations") == run_of(c, 0, seed).at("confirmations"));
  }
}

}  // namespace fraudsim::testing
