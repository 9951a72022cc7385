#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "sim/random.h"

// Every draw is deterministic, so these statistics are fixed numbers for a fixed seed. The
// tolerances are still several standard errors wide, so that a change of seed or stream name
// would not make them fail by chance; only a wrong distribution should.

namespace {

sim::Rng sequential(std::string_view name, std::uint64_t seed = 20240601) {
  return sim::Rng(sim::make_stream(seed, name));
}

std::vector<std::uint64_t> first_draws(sim::Rng rng, int count) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < count; ++i) out.push_back(rng.next_u64());
  return out;
}

// |actual - expected| <= tolerance, with both numbers in the failure message.
void check_near(double actual, double expected, double tolerance) {
  CAPTURE(actual);
  CAPTURE(expected);
  CAPTURE(tolerance);
  CHECK(std::abs(actual - expected) <= tolerance);
}

}  // namespace

TEST_CASE("the generator is SplitMix64") {
  // The published first output of SplitMix64 from state 0: a change here would silently alter
  // every run's randomness.
  sim::Rng rng(std::uint64_t{0});
  CHECK(rng.next_u64() == 0xE220A8397B1DCDAFULL);
}

TEST_CASE("uniform_int stays from lo up to but excluding hi, reaches both ends and has the right mean") {
  sim::Rng rng = sequential("uniform_int mean");
  constexpr int kDraws = 200'000;
  double sum = 0;
  std::int64_t smallest = INT64_MAX, largest = INT64_MIN;
  for (int i = 0; i < kDraws; ++i) {
    const std::int64_t v = sim::uniform_int(rng, -50, 51);
    smallest = std::min(smallest, v);
    largest = std::max(largest, v);
    sum += static_cast<double>(v);
  }
  CHECK(smallest == -50);
  CHECK(largest == 50);
  // 101 equally likely values: standard deviation 29.2, standard error 0.065.
  check_near(sum / kDraws, 0.0, 0.5);
}

TEST_CASE("uniform_int over a range of one always gives lo") {
  sim::Rng rng = sequential("uniform_int one");
  for (int i = 0; i < 100; ++i) CHECK(sim::uniform_int(rng, 41, 42) == 41);
}

TEST_CASE("uniform_int rejects an empty or reversed range") {
  sim::Rng rng = sequential("uniform_int empty");
  CHECK_THROWS_AS(sim::uniform_int(rng, 5, 5), std::invalid_argument);
  CHECK_THROWS_AS(sim::uniform_int(rng, 6, 5), std::invalid_argument);
}

TEST_CASE("uniform_int over three values gives each a third") {
  sim::Rng rng = sequential("uniform_int three");
  constexpr int kDraws = 300'000;
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < kDraws; ++i) ++counts[sim::uniform_int(rng, 0, 3)];
  // Standard error of each share: sqrt(2/9 / 300000) = 0.00086.
  for (int c : counts) check_near(static_cast<double>(c) / kDraws, 1.0 / 3, 0.006);
}

TEST_CASE("uniform_int has no bias over a range close to 2^64") {
  // Range 3 * 2^62. Reducing modulo the range would make [0, 2^62) twice as likely as it should
  // be (1/2 instead of 1/3); a multiply without rejection would make multiples of 3 twice as
  // likely (1/2 instead of 1/3). Both are far outside the tolerance.
  const std::int64_t quarter = std::int64_t{1} << 62;
  const std::int64_t lo = INT64_MIN;
  const std::int64_t hi = quarter;  // hi - lo = 2^62 + 2^63 = 3 * 2^62
  sim::Rng rng = sequential("uniform_int huge");
  constexpr int kDraws = 200'000;
  int low_quarter = 0, multiples_of_three = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::int64_t v = sim::uniform_int(rng, lo, hi);
    REQUIRE(v >= lo);
    REQUIRE(v < hi);
    const auto offset = static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(lo);
    if (offset < static_cast<std::uint64_t>(quarter)) ++low_quarter;
    if (offset % 3 == 0) ++multiples_of_three;
  }
  check_near(static_cast<double>(low_quarter) / kDraws, 1.0 / 3, 0.01);
  check_near(static_cast<double>(multiples_of_three) / kDraws, 1.0 / 3, 0.01);
}

TEST_CASE("uniform_int below 2^62 + 12345 stays in range and is spread evenly") {
  const std::int64_t hi = (std::int64_t{1} << 62) + 12345;
  sim::Rng rng = sequential("uniform_int 2^62");
  constexpr int kDraws = 100'000;
  double sum = 0;
  int upper_half = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::int64_t v = sim::uniform_int(rng, 0, hi);
    REQUIRE(v >= 0);
    REQUIRE(v < hi);
    sum += static_cast<double>(v) / static_cast<double>(hi);
    if (v >= hi / 2) ++upper_half;
  }
  // Mean of a uniform [0, 1): 0.5 with standard error 0.0009.
  check_near(sum / kDraws, 0.5, 0.006);
  check_near(static_cast<double>(upper_half) / kDraws, 0.5, 0.008);
}

TEST_CASE("uniform_int accepts the widest range of int64") {
  sim::Rng rng = sequential("uniform_int widest");
  int negative = 0;
  constexpr int kDraws = 20'000;
  for (int i = 0; i < kDraws; ++i) {
    const std::int64_t v = sim::uniform_int(rng, INT64_MIN, INT64_MAX);
    CHECK(v < INT64_MAX);
    if (v < 0) ++negative;
  }
  check_near(static_cast<double>(negative) / kDraws, 0.5, 0.02);
}

TEST_CASE("uniform_real lies from 0 up to but excluding 1, uses 53 bits and has mean one half") {
  sim::Rng rng = sequential("uniform_real");
  constexpr int kDraws = 200'000;
  double sum = 0, smallest = 1, largest = 0;
  int below_tenth = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = sim::uniform_real(rng);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    // A multiple of 2^-53: scaling back gives a whole number.
    const double scaled = u * 0x1.0p53;
    REQUIRE(scaled == std::floor(scaled));
    sum += u;
    smallest = std::min(smallest, u);
    largest = std::max(largest, u);
    if (u < 0.1) ++below_tenth;
  }
  // Standard error of the mean: 0.289 / sqrt(200000) = 0.00065.
  check_near(sum / kDraws, 0.5, 0.004);
  check_near(static_cast<double>(below_tenth) / kDraws, 0.1, 0.004);
  CHECK(smallest < 0.001);
  CHECK(largest > 0.999);
}

TEST_CASE("uniform_real between lo and hi is the unit draw stretched") {
  sim::Rng a = sequential("uniform_real range");
  sim::Rng b = sequential("uniform_real range");
  for (int i = 0; i < 1000; ++i) {
    const double v = sim::uniform_real(a, 10.0, 20.0);
    CHECK(v >= 10.0);
    CHECK(v < 20.0);
    CHECK(v == 10.0 + 10.0 * sim::uniform_real(b));
  }
}

TEST_CASE("bernoulli is true with probability p") {
  sim::Rng rng = sequential("bernoulli");
  constexpr int kDraws = 200'000;
  int hits = 0;
  for (int i = 0; i < kDraws; ++i) hits += sim::bernoulli(rng, 0.3) ? 1 : 0;
  // Standard error: sqrt(0.21 / 200000) = 0.001.
  check_near(static_cast<double>(hits) / kDraws, 0.3, 0.007);
}

TEST_CASE("bernoulli at or beyond 0 and 1 is never and always") {
  sim::Rng rng = sequential("bernoulli ends");
  for (int i = 0; i < 10'000; ++i) {
    CHECK_FALSE(sim::bernoulli(rng, 0.0));
    CHECK_FALSE(sim::bernoulli(rng, -0.5));
    CHECK(sim::bernoulli(rng, 1.0));
    CHECK(sim::bernoulli(rng, 1.5));
  }
}

TEST_CASE("exponential has the given mean and is positive and finite") {
  sim::Rng rng = sequential("exponential");
  constexpr int kDraws = 200'000;
  const double mean = 250.0;
  double sum = 0;
  int above_mean = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = sim::exponential(rng, mean);
    REQUIRE(x >= 0.0);
    REQUIRE(std::isfinite(x));
    sum += x;
    if (x > mean) ++above_mean;
  }
  // Standard error of the mean: 250 / sqrt(200000) = 0.56.
  check_near(sum / kDraws, mean, 4.0);
  // P(X > mean) = 1/e.
  check_near(static_cast<double>(above_mean) / kDraws, std::exp(-1.0), 0.007);
}

TEST_CASE("standard_normal has mean 0 and variance 1") {
  sim::Rng rng = sequential("standard_normal");
  constexpr int kDraws = 200'000;
  double sum = 0, sum_squares = 0;
  int within_one = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = sim::standard_normal(rng);
    REQUIRE(std::isfinite(z));
    sum += z;
    sum_squares += z * z;
    if (std::abs(z) < 1.0) ++within_one;
  }
  const double mean = sum / kDraws;
  const double variance = sum_squares / kDraws - mean * mean;
  // Standard errors: 0.0022 for the mean, 0.0032 for the variance.
  check_near(mean, 0.0, 0.015);
  check_near(variance, 1.0, 0.02);
  check_near(static_cast<double>(within_one) / kDraws, 0.682689, 0.007);
}

TEST_CASE("log_normal has the given median and is positive") {
  sim::Rng rng = sequential("log_normal");
  constexpr int kDraws = 100'001;
  std::vector<double> draws;
  draws.reserve(kDraws);
  for (int i = 0; i < kDraws; ++i) {
    const double x = sim::log_normal(rng, 80.0, 0.6);
    REQUIRE(x > 0.0);
    draws.push_back(x);
  }
  std::nth_element(draws.begin(), draws.begin() + kDraws / 2, draws.end());
  // The sample median's logarithm has standard error 1.2533 * 0.6 / sqrt(100001) = 0.0024.
  check_near(std::log(draws[kDraws / 2] / 80.0), 0.0, 0.015);
}

TEST_CASE("log_normal with sigma 0 is exactly the median") {
  sim::Rng rng = sequential("log_normal sigma 0");
  for (int i = 0; i < 100; ++i) CHECK(sim::log_normal(rng, 42.5, 0.0) == 42.5);
}

TEST_CASE("a weighted choice picks each index in proportion to its weight") {
  const sim::WeightedChoice choice({1.0, 0.0, 3.0, 6.0, 0.0});
  CHECK(choice.size() == 5);
  sim::Rng rng = sequential("weighted");
  constexpr int kDraws = 200'000;
  std::vector<int> counts(5, 0);
  for (int i = 0; i < kDraws; ++i) {
    const std::size_t index = choice(rng);
    REQUIRE(index < 5);
    ++counts[index];
  }
  CHECK(counts[1] == 0);
  CHECK(counts[4] == 0);
  // Standard errors at most sqrt(0.25 / 200000) = 0.0011.
  check_near(static_cast<double>(counts[0]) / kDraws, 0.1, 0.007);
  check_near(static_cast<double>(counts[2]) / kDraws, 0.3, 0.007);
  check_near(static_cast<double>(counts[3]) / kDraws, 0.6, 0.007);
}

TEST_CASE("a weighted choice never picks a zero weight among many uneven ones") {
  // Uneven weights make the alias table's build shuffle its small and large lists many times.
  std::vector<double> weights;
  for (int i = 0; i < 200; ++i) weights.push_back(i % 3 == 0 ? 0.0 : 1.0 + (i * 37) % 101 / 7.0);
  double total = 0;
  for (double w : weights) total += w;
  const sim::WeightedChoice choice(weights);
  sim::Rng rng = sequential("weighted many");
  constexpr int kDraws = 400'000;
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < kDraws; ++i) ++counts[choice(rng)];
  for (std::size_t i = 0; i < weights.size(); ++i) {
    CAPTURE(i);
    if (weights[i] == 0.0) {
      CHECK(counts[i] == 0);
    } else {
      const double expected = weights[i] / total;
      // Expected count is at least 400000 / 1600 = 250; allow 6 standard errors.
      check_near(static_cast<double>(counts[i]) / kDraws, expected,
                 6 * std::sqrt(expected / kDraws) + 1e-9);
    }
  }
}

TEST_CASE("a weighted choice of one positive weight always picks it") {
  const sim::WeightedChoice choice({0.0, 0.0, 2.5, 0.0});
  sim::Rng rng = sequential("weighted single");
  for (int i = 0; i < 10'000; ++i) REQUIRE(choice(rng) == 2);
}

TEST_CASE("a weighted choice rejects bad weights") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(sim::WeightedChoice(std::vector<double>{}), std::invalid_argument);
  CHECK_THROWS_AS(sim::WeightedChoice({1.0, -0.5}), std::invalid_argument);
  CHECK_THROWS_AS(sim::WeightedChoice({1.0, nan}), std::invalid_argument);
  CHECK_THROWS_AS(sim::WeightedChoice({1.0, inf}), std::invalid_argument);
  CHECK_THROWS_AS(sim::WeightedChoice({0.0, 0.0}), std::invalid_argument);
  CHECK_NOTHROW(sim::WeightedChoice({0.0, 1e-300}));
}

TEST_CASE("a sequential stream is the same for the same seed and name") {
  CHECK(first_draws(sequential("arrivals", 1), 50) == first_draws(sequential("arrivals", 1), 50));
  CHECK(first_draws(sequential("arrivals", 1), 50) != first_draws(sequential("arrivals", 2), 50));
  CHECK(first_draws(sequential("arrivals", 1), 50) != first_draws(sequential("amounts", 1), 50));
}

TEST_CASE("a keyed stream is the same for the same seed, name and key") {
  const sim::StreamKey stream = sim::make_stream(99, "merchant latency");
  const std::uint64_t key = sim::entity_key("transaction-17");
  CHECK(first_draws(sim::Rng(stream, key), 50) ==
        first_draws(sim::Rng(sim::make_stream(99, "merchant latency"),
                             sim::entity_key("transaction-17")),
                    50));
}

TEST_CASE("a keyed stream differs when the name, the key or the seed differs") {
  const auto draws = [](std::uint64_t seed, std::string_view name, std::string_view entity) {
    return first_draws(sim::Rng(sim::make_stream(seed, name), sim::entity_key(entity)), 20);
  };
  const auto base = draws(99, "merchant latency", "transaction-17");
  CHECK(base != draws(99, "merchant latencz", "transaction-17"));
  CHECK(base != draws(99, "merchant latency", "transaction-18"));
  CHECK(base != draws(100, "merchant latency", "transaction-17"));
  // The keyed draws are not the sequential stream's either.
  CHECK(base != first_draws(sim::Rng(sim::make_stream(99, "merchant latency")), 20));
}

TEST_CASE("entity keys and combined keys tell their inputs apart") {
  CHECK(sim::entity_key("a") == sim::entity_key("a"));
  CHECK(sim::entity_key("a") != sim::entity_key("b"));
  CHECK(sim::entity_key("") != sim::entity_key("a"));
  const std::uint64_t query = sim::entity_key("query-3");
  // (query, attempt 1) and (query, attempt 2) are different entities; so are (a, b) and (b, a).
  CHECK(sim::combine_keys(query, 1) != sim::combine_keys(query, 2));
  CHECK(sim::combine_keys(1, 2) != sim::combine_keys(2, 1));
  CHECK(sim::combine_keys(query, 1) == sim::combine_keys(query, 1));
}

TEST_CASE("a keyed draw does not depend on other draws made before it") {
  // Two configurations of one run: the second makes extra draws and visits the entities in
  // another order, yet each entity sees the same numbers (common random numbers).
  const sim::StreamKey stream = sim::make_stream(7, "fraud model");
  std::vector<double> first_config(100), second_config(100);
  for (int entity = 0; entity < 100; ++entity) {
    sim::Rng rng(stream, static_cast<std::uint64_t>(entity));
    first_config[static_cast<std::size_t>(entity)] = sim::uniform_real(rng);
  }
  sim::Rng noise(sim::make_stream(7, "fraud model"));
  for (int entity = 99; entity >= 0; --entity) {
    for (int k = 0; k < entity % 7; ++k) noise.next_u64();
    sim::Rng other(stream, static_cast<std::uint64_t>(entity + 1000));
    other.next_u64();
    sim::Rng rng(stream, static_cast<std::uint64_t>(entity));
    second_config[static_cast<std::size_t>(entity)] = sim::uniform_real(rng);
  }
  CHECK(first_config == second_config);
  // And the entities do not all see the same number.
  CHECK(std::adjacent_find(first_config.begin(), first_config.end()) == first_config.end());
}
