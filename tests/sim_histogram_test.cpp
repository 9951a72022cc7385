#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/histogram.h"
#include "sim/random.h"

using sim::Histogram;

TEST_CASE("values below 128 have a bucket of their own") {
  for (std::int64_t v = 0; v < 128; ++v) {
    CAPTURE(v);
    const std::size_t b = Histogram::bucket_of(v);
    CHECK(Histogram::bucket_low(b) == v);
    CHECK(Histogram::bucket_high(b) == v);
  }
}

TEST_CASE("small samples give exact quantiles") {
  Histogram h;
  for (std::int64_t v : {5, 17, 17, 100, 127}) h.record(v);
  // q of 5 samples lands between ranks here, so rounding of q * 5 cannot matter.
  CHECK(h.quantile(0.1) == 5);
  CHECK(h.quantile(0.3) == 17);
  CHECK(h.quantile(0.5) == 17);
  CHECK(h.quantile(0.7) == 100);
  CHECK(h.quantile(0.9) == 127);
  CHECK(h.quantile(1.0) == 127);
}

TEST_CASE("every value lies in its bucket's bounds") {
  std::vector<std::int64_t> values;
  for (std::int64_t v = 0; v < 5000; ++v) values.push_back(v);
  for (int bit = 8; bit < 63; ++bit) {
    const std::int64_t p = std::int64_t{1} << bit;
    for (std::int64_t delta : {-2, -1, 0, 1, 2}) values.push_back(p + delta);
  }
  values.push_back(INT64_MAX);
  values.push_back(INT64_MAX - 1);
  sim::Rng rng(sim::make_stream(3, "histogram values"));
  for (int i = 0; i < 20'000; ++i) {
    const int bits = static_cast<int>(sim::uniform_int(rng, 1, 63));
    values.push_back(sim::uniform_int(rng, 0, std::int64_t{1} << bits));
  }
  for (std::int64_t v : values) {
    CAPTURE(v);
    const std::size_t b = Histogram::bucket_of(v);
    REQUIRE(Histogram::bucket_low(b) <= v);
    REQUIRE(v <= Histogram::bucket_high(b));
  }
}

TEST_CASE("buckets are contiguous, increasing and at most 1/128 of their value wide") {
  const std::size_t last = Histogram::bucket_of(INT64_MAX);
  CHECK(Histogram::bucket_high(last) == INT64_MAX);
  CHECK(Histogram::bucket_low(0) == 0);
  for (std::size_t b = 0; b < last; ++b) {
    CAPTURE(b);
    REQUIRE(Histogram::bucket_low(b) <= Histogram::bucket_high(b));
    REQUIRE(Histogram::bucket_high(b) + 1 == Histogram::bucket_low(b + 1));
    REQUIRE(Histogram::bucket_of(Histogram::bucket_low(b)) == b);
    REQUIRE(Histogram::bucket_of(Histogram::bucket_high(b)) == b);
    const std::int64_t width = Histogram::bucket_high(b) - Histogram::bucket_low(b) + 1;
    REQUIRE(width * 128 <= std::max<std::int64_t>(Histogram::bucket_low(b), 128));
  }
}

TEST_CASE("quantiles of 1..1000 are within 0.8% of the exact ones") {
  Histogram h;
  // Recorded in a scrambled order: the histogram must not depend on it.
  for (std::int64_t i = 0; i < 1000; ++i) h.record((i * 617) % 1000 + 1);
  for (double q : {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    CAPTURE(q);
    const auto exact = static_cast<std::int64_t>(std::ceil(q * 1000));
    const std::int64_t got = h.quantile(q);
    // The histogram answers with the top of the exact value's bucket, never below it.
    CHECK(got >= exact);
    CHECK(static_cast<double>(got - exact) <= 0.008 * static_cast<double>(exact));
  }
  CHECK(h.quantile(0.5) == 500 + 1);  // 500 lies in bucket [500, 501]
  CHECK(h.quantile(0.1) == 100);      // exact below 128
}

TEST_CASE("quantiles of large latencies are within 0.8% of the exact ones") {
  Histogram h;
  std::vector<std::int64_t> sample;
  sim::Rng rng(sim::make_stream(5, "histogram latencies"));
  for (int i = 0; i < 50'000; ++i) {
    const auto v = static_cast<std::int64_t>(sim::log_normal(rng, 80'000.0, 1.2));
    sample.push_back(v);
    h.record(v);
  }
  std::sort(sample.begin(), sample.end());
  for (double q : {0.01, 0.5, 0.9, 0.99, 0.999}) {
    CAPTURE(q);
    const std::int64_t exact =
        sample[static_cast<std::size_t>(std::ceil(q * static_cast<double>(sample.size()))) - 1];
    const std::int64_t got = h.quantile(q);
    CHECK(got >= exact);
    CHECK(static_cast<double>(got - exact) <= 0.008 * static_cast<double>(exact));
  }
}

TEST_CASE("a quantile never exceeds the largest sample") {
  Histogram h;
  h.record(1000);  // bucket [1000, 1003]
  CHECK(h.quantile(0.5) == 1000);
  CHECK(h.quantile(1.0) == 1000);
  h.record(129'001);
  CHECK(h.quantile(1.0) == 129'001);
  CHECK(h.quantile(2.0) == 129'001);
}

TEST_CASE("quantile 0 is the smallest sample") {
  Histogram h;
  for (std::int64_t v : {9000, 3001, 7000}) h.record(v);
  CHECK(h.quantile(0.0) == 3001);
}

TEST_CASE("count, min, max and mean are exact") {
  Histogram h;
  for (std::int64_t v : {1'000'003, 7, 250'000, 42}) h.record(v);
  CHECK(h.count() == 4);
  CHECK(h.min() == 7);
  CHECK(h.max() == 1'000'003);
  CHECK(h.mean() == doctest::Approx((1'000'003 + 7 + 250'000 + 42) / 4.0));
}

TEST_CASE("an empty histogram reports zeros") {
  const Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.quantile(0.0) == 0);
  CHECK(h.quantile(0.5) == 0);
  CHECK(h.quantile(1.0) == 0);
}

TEST_CASE("zero is a valid sample and a negative one is refused") {
  Histogram h;
  h.record(0);
  CHECK(h.count() == 1);
  CHECK(h.max() == 0);
  CHECK(h.quantile(1.0) == 0);
  CHECK_THROWS_AS(h.record(-1), std::invalid_argument);
  CHECK(h.count() == 1);
}

TEST_CASE("the bucket counts add up to the number of samples") {
  Histogram h;
  for (std::int64_t v = 0; v < 100'000; v += 7) h.record(v);
  std::uint64_t total = 0;
  for (std::uint64_t c : h.buckets()) total += c;
  CHECK(total == h.count());
  CHECK(h.buckets()[Histogram::bucket_of(7)] == 1);
}
