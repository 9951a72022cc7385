// What `fraudsim compare` runs: seed lists, varied settings and their combinations, the thread
// pool, and how progress and seeds are shown.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>

#include "src/compare_plan.h"
#include "src/comparison_writer.h"
#include "src/parallel_runs.h"
#include "src/progress.h"

namespace fraudsim {
namespace {

using Seeds = std::vector<std::uint64_t>;

std::string rejection(std::string_view seeds) {
  try {
    parse_seed_list(seeds);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "accepted";
}

TEST_CASE("--seeds takes ranges, lists and a mix, in the order given") {
  CHECK(parse_seed_list("1..5") == Seeds{1, 2, 3, 4, 5});
  CHECK(parse_seed_list("5,9,12") == Seeds{5, 9, 12});
  CHECK(parse_seed_list(" 9, 1..3 ,0") == Seeds{9, 1, 2, 3, 0});
  CHECK(parse_seed_list("7..7") == Seeds{7});
  CHECK(parse_seed_list("0") == Seeds{0});
}

TEST_CASE("a bad --seeds is named as typed") {
  CHECK(rejection("") == "--seeds: the list is empty; e.g. --seeds 1..20 or --seeds 5,9,12");
  CHECK(rejection("1,x") ==
        "--seeds '1,x': 'x' is not a seed (a whole number from 0 to 9223372036854775807)");
  CHECK(rejection("-3") != "accepted");
  CHECK(rejection("1,,2") != "accepted");
  CHECK(rejection("1..") != "accepted");
  CHECK(rejection("9223372036854775808") != "accepted");
  CHECK(rejection("20..1") == "--seeds '20..1': the range '20..1' runs backwards");
  CHECK(rejection("1..5,3") == "--seeds '1..5,3': seed 3 is given twice");
  CHECK(rejection("1..20000") == "--seeds '1..20000': more than 10000 seeds");
}

TEST_CASE("--vary splits values on commas outside parentheses") {
  const VariedSetting v = parse_varied_setting("merchant.latency=fixed(1ms), uniform(0ms, 5000ms)");
  CHECK(v.key == "merchant.latency");
  CHECK(v.values == std::vector<std::string>{"fixed(1ms)", "uniform(0ms, 5000ms)"});
  CHECK(v.origin == "--vary merchant.latency=fixed(1ms), uniform(0ms, 5000ms)");
}

TEST_CASE("a --vary without a key, values or with an empty value is refused naming it") {
  CHECK_THROWS_WITH_AS(parse_varied_setting("fraud.window="),
                       "--vary fraud.window=: no values to vary fraud.window over", sim::InputError);
  CHECK_THROWS_WITH_AS(parse_varied_setting("fraud.window=7d,,30d"),
                       "--vary fraud.window=7d,,30d: an empty value in the list of fraud.window",
                       sim::InputError);
  CHECK_THROWS_AS(parse_varied_setting("window=7d"), sim::InputError);
  CHECK_THROWS_AS(parse_varied_setting("7d,30d"), sim::InputError);
}

TEST_CASE("variants are every combination, the first --vary varying slowest") {
  const auto variants = make_variants({parse_varied_setting("fraud.window=7d,30d"),
                                       parse_varied_setting("model.threshold=70,80,90")});
  REQUIRE(variants.size() == 6);
  CHECK(variants[0].name == "A");
  CHECK(variants[0].label() == "fraud.window=7d model.threshold=70");
  CHECK(variants[1].label() == "fraud.window=7d model.threshold=80");
  CHECK(variants[3].label() == "fraud.window=30d model.threshold=70");
  CHECK(variants[5].name == "F");
  CHECK(variants[5].settings[1].origin == "--vary model.threshold=70,80,90");
}

TEST_CASE("without --vary there is one variant: the scenario as it is") {
  const auto variants = make_variants({});
  REQUIRE(variants.size() == 1);
  CHECK(variants[0].name == "A");
  CHECK(variants[0].settings.empty());
}

TEST_CASE("variant names go on past Z as AA, AB, ...") {
  const auto variants = make_variants({parse_varied_setting(
      "model.threshold=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28")});
  CHECK(variants[25].name == "Z");
  CHECK(variants[26].name == "AA");
  CHECK(variants[27].name == "AB");
}

TEST_CASE("a key varied twice, the seed varied, or too many combinations are refused") {
  CHECK_THROWS_WITH_AS(make_variants({parse_varied_setting("fraud.window=7d"),
                                      parse_varied_setting("fraud.window=30d")}),
                       "--vary fraud.window=30d: fraud.window is varied twice; give all its values "
                       "in one --vary",
                       sim::InputError);
  CHECK_THROWS_WITH_AS(make_variants({parse_varied_setting("run.seed=1,2")}),
                       "--vary run.seed=1,2: seeds are not varied like settings; use --seeds",
                       sim::InputError);
  const VariedSetting many = parse_varied_setting("model.threshold=1,2,3,4,5,6,7,8,9,10,11");
  CHECK_THROWS_AS(make_variants({many, many, many}), sim::InputError);
}

TEST_CASE("the thread pool runs every job exactly once, whatever the thread count") {
  for (unsigned threads : {1u, 2u, 7u}) {
    std::vector<std::atomic<int>> runs(50);
    std::vector<std::size_t> done;
    run_in_parallel(runs.size(), threads, [&](std::size_t i) { ++runs[i]; },
                    [&](std::size_t n) { done.push_back(n); });
    for (const auto& r : runs) CHECK(r.load() == 1);
    REQUIRE(done.size() == 50);
    for (std::size_t i = 0; i < done.size(); ++i) CHECK(done[i] == i + 1);
  }
}

TEST_CASE("the thread pool rethrows the failure of the lowest job and starts no new ones") {
  std::atomic<std::size_t> started{0};
  CHECK_THROWS_WITH_AS(run_in_parallel(1000, 2,
                                       [&](std::size_t i) {
                                         ++started;
                                         if (i == 3 || i == 4) throw std::runtime_error(std::to_string(i));
                                       },
                                       {}),
                       "3", std::runtime_error);
  CHECK(started.load() < 1000);
}

TEST_CASE("the progress line counts runs and estimates the time left from those done") {
  CHECK(sweep_progress_line(0, 40, 3.0) == "runs 0/40 done");
  CHECK(sweep_progress_line(10, 40, 20.0) == "runs 10/40 done · about 1m 00s left");
  CHECK(sweep_progress_line(39, 40, 39.0) == "runs 39/40 done · about 1.0s left");
  CHECK(sweep_progress_line(40, 40, 80.0) == "runs 40/40 done");
}

TEST_CASE("seeds are shown with runs of consecutive ones shortened") {
  CHECK(describe_seeds({1, 2, 3, 4}) == "1..4");
  CHECK(describe_seeds({5, 9, 12}) == "5, 9, 12");
  CHECK(describe_seeds({1, 2, 3, 9, 10}) == "1..3, 9, 10");
  CHECK(describe_seeds({7}) == "7");
}

}  // namespace
}  // namespace fraudsim
