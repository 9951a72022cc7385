// Means and Student-t intervals, against values worked by hand from a t table.
#include <doctest/doctest.h>

#include <stdexcept>

#include "sim/statistics.h"

namespace sim {
namespace {

TEST_CASE("the two-sided 95% Student-t quantile matches the table") {
  CHECK(student_t_critical(0.95, 1) == doctest::Approx(12.7062).epsilon(1e-5));
  CHECK(student_t_critical(0.95, 4) == doctest::Approx(2.7764).epsilon(1e-4));
  CHECK(student_t_critical(0.95, 19) == doctest::Approx(2.0930).epsilon(1e-4));
  CHECK(student_t_critical(0.99, 10) == doctest::Approx(3.1693).epsilon(1e-4));
  CHECK(student_t_critical(0.95, 1e6) == doctest::Approx(1.9600).epsilon(1e-4));
}

TEST_CASE("the interval of a small sample is mean ± t * s / sqrt(n)") {
  // 1..5: mean 3, s = sqrt(2.5), s / sqrt(5) = 0.70711, t(0.975, 4) = 2.77645.
  const Estimate e = estimate_mean({1, 2, 3, 4, 5});
  CHECK(e.n == 5);
  CHECK(e.mean == 3);
  REQUIRE(e.half_width);
  CHECK(*e.half_width == doctest::Approx(1.96324).epsilon(1e-5));
  CHECK(e.low() == doctest::Approx(1.03676).epsilon(1e-5));
  CHECK(e.high() == doctest::Approx(4.96324).epsilon(1e-5));
  CHECK(e.excludes_zero());

  // 2 4 4 4 5 5 7 9: mean 5, s = sqrt(32 / 7), s / sqrt(8) = 0.75593, t(0.975, 7) = 2.36462.
  const Estimate f = estimate_mean({2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(f.mean == 5);
  CHECK(*f.half_width == doctest::Approx(1.78748).epsilon(1e-5));
}

TEST_CASE("an interval that straddles zero does not exclude it") {
  const Estimate e = estimate_mean({-2, 1, 3, -1});
  CHECK(e.low() < 0);
  CHECK(e.high() > 0);
  CHECK_FALSE(e.excludes_zero());
}

TEST_CASE("equal samples have exactly their value as mean and a zero-width interval") {
  const Estimate e = estimate_mean({0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1});
  CHECK(e.mean == 0.1);
  REQUIRE(e.half_width);
  CHECK(*e.half_width == 0);
  const Estimate zeros = estimate_mean({0, 0, 0});
  CHECK(zeros.mean == 0);
  CHECK_FALSE(zeros.excludes_zero());
  // A constant non-zero difference is certain, however few the seeds.
  CHECK(estimate_mean({-4, -4}).excludes_zero());
}

TEST_CASE("one sample has a mean but no interval; none has neither") {
  const Estimate one = estimate_mean({7});
  CHECK(one.n == 1);
  CHECK(one.mean == 7);
  CHECK_FALSE(one.half_width);
  CHECK_FALSE(one.excludes_zero());
  const Estimate none = estimate_mean({});
  CHECK(none.n == 0);
  CHECK_FALSE(none.half_width);
}

TEST_CASE("a confidence outside (0, 1) is refused") {
  CHECK_THROWS_AS(student_t_critical(1.0, 5), std::invalid_argument);
  CHECK_THROWS_AS(student_t_critical(0.95, 0), std::invalid_argument);
}

}  // namespace
}  // namespace sim
