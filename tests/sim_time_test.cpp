#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "sim/random.h"
#include "sim/time.h"

namespace {

using sim::parse_duration;
using sim::Time;

// The error text must be set on every rejection, so callers can always show a reason.
std::string rejection_of(const std::string& text) {
  std::string error;
  const std::optional<Time> parsed = parse_duration(text, &error);
  CHECK_MESSAGE(!parsed.has_value(), "'", text, "' was accepted as ", parsed.value_or(-1));
  CHECK_MESSAGE(!error.empty(), "'", text, "' was rejected without a reason");
  return error;
}

}  // namespace

TEST_CASE("parse_duration accepts every unit") {
  CHECK(parse_duration("7us") == 7);
  CHECK(parse_duration("7ms") == 7 * sim::kMillisecond);
  CHECK(parse_duration("7s") == 7 * sim::kSecond);
  CHECK(parse_duration("7min") == 7 * sim::kMinute);
  CHECK(parse_duration("7h") == 7 * sim::kHour);
  CHECK(parse_duration("30d") == 30 * sim::kDay);
  CHECK(parse_duration("5000ms") == 5 * sim::kSecond);
}

TEST_CASE("the units are the documented number of microseconds") {
  CHECK(sim::kMillisecond == 1'000);
  CHECK(sim::kSecond == 1'000'000);
  CHECK(sim::kMinute == 60'000'000);
  CHECK(sim::kHour == 3'600'000'000);
  CHECK(sim::kDay == 86'400'000'000);
}

TEST_CASE("parse_duration accepts fractions that land on whole microseconds") {
  CHECK(parse_duration("1.5h") == 90 * sim::kMinute);
  CHECK(parse_duration("0.5ms") == 500);
  CHECK(parse_duration("1.5min") == 90 * sim::kSecond);
  CHECK(parse_duration("0.25d") == 6 * sim::kHour);
  CHECK(parse_duration("2.000001s") == 2 * sim::kSecond + 1);
  CHECK(parse_duration("1.0us") == 1);
  CHECK(parse_duration("1.500000000ms") == 1500);
  CHECK(parse_duration("1.50000000000000000000000000h") == 90 * sim::kMinute);
}

TEST_CASE("parse_duration accepts a long fraction that still lands on a whole microsecond") {
  // 5e-8 min is 3 us and 5e-9 h is 18 us: whole microseconds, although the unit's tick count is
  // not a power of ten.
  CHECK(parse_duration("0.00000005min") == 3);
  CHECK(parse_duration("0.000000005h") == 18);
  CHECK(parse_duration("1.000000005h") == sim::kHour + 18);
  CHECK(parse_duration("0.000000005d") == 432);
}

TEST_CASE("parse_duration accepts a bare zero") {
  CHECK(parse_duration("0") == 0);
  CHECK(parse_duration("000") == 0);
  CHECK(parse_duration("0s") == 0);
  CHECK(parse_duration("0.0d") == 0);
}

TEST_CASE("parse_duration rejects an empty text") { rejection_of(""); }

TEST_CASE("parse_duration rejects a negative duration") {
  CHECK(rejection_of("-5s").find("negative") != std::string::npos);
  rejection_of("-0");
}

TEST_CASE("parse_duration rejects a number without a unit") {
  CHECK(rejection_of("5").find("no unit") != std::string::npos);
  rejection_of("1.5");
}

TEST_CASE("parse_duration rejects an unknown unit and names it") {
  CHECK(rejection_of("5sec").find("'sec'") != std::string::npos);
  rejection_of("5m");
  rejection_of("5H");
  rejection_of("5 s");
  rejection_of("5ms ");
  rejection_of("5mss");
}

TEST_CASE("parse_duration rejects text that is not a number") {
  rejection_of("s");
  rejection_of("abc");
  rejection_of(".5s");
  rejection_of("5.s");
  rejection_of("+5s");
  rejection_of(" 5s");
  rejection_of("1.2.3s");
}

TEST_CASE("parse_duration rejects a fraction finer than a microsecond") {
  CHECK(rejection_of("1.5us").find("finer") != std::string::npos);
  CHECK(rejection_of("1.0005ms").find("finer") != std::string::npos);
  rejection_of("0.0000001s");
  rejection_of("0.00000001min");  // 0.6 us
  rejection_of("0.0000000005d");  // 43.2 us
  rejection_of("1.00000000000000000000000000001h");
}

TEST_CASE("parse_duration rejects a duration too large for the clock") {
  // INT64_MAX microseconds is 106,751,991 days and 0.1673 of a day.
  CHECK(parse_duration("106751991d") == 106751991 * sim::kDay);
  CHECK(parse_duration("106751991.1673d") == 106751991 * sim::kDay + 14454720000);
  CHECK(rejection_of("106751992d").find("too large") != std::string::npos);
  // The whole part fits; adding the fraction overflows.
  CHECK(rejection_of("106751991.1674d").find("too large") != std::string::npos);
  CHECK(rejection_of("99999999999999999999us").find("too large") != std::string::npos);
  CHECK(parse_duration("9223372036854775807us") == INT64_MAX);
  rejection_of("9223372036854775808us");
}

TEST_CASE("parse_duration leaves the error text alone when it succeeds") {
  std::string error = "untouched";
  CHECK(parse_duration("3s", &error) == 3 * sim::kSecond);
  CHECK(error == "untouched");
  CHECK_FALSE(parse_duration("3x").has_value());  // no error pointer: must not crash
}

TEST_CASE("format_duration uses the largest unit that divides exactly") {
  CHECK(sim::format_duration(0) == "0s");
  CHECK(sim::format_duration(30 * sim::kDay) == "30d");
  CHECK(sim::format_duration(36 * sim::kHour) == "36h");
  CHECK(sim::format_duration(90 * sim::kSecond) == "90s");
  CHECK(sim::format_duration(2 * sim::kMinute) == "2min");
  CHECK(sim::format_duration(1500 * sim::kMillisecond) == "1500ms");
  CHECK(sim::format_duration(250) == "250us");
  CHECK(sim::format_duration(-5 * sim::kSecond) == "-5s");
}

TEST_CASE("format_duration round-trips through parse_duration") {
  const Time fixed[] = {0,           1,          999,        1000,       59 * sim::kSecond,
                        sim::kMinute, sim::kHour, sim::kDay, 30 * sim::kDay, 1234567891011,
                        INT64_MAX,   106751991 * sim::kDay};
  for (Time t : fixed) {
    CAPTURE(t);
    CHECK(parse_duration(sim::format_duration(t)) == t);
  }
  sim::Rng rng(sim::make_stream(7, "format_duration"));
  const Time scales[] = {1, sim::kMillisecond, sim::kSecond, sim::kMinute, sim::kHour, sim::kDay};
  for (int i = 0; i < 3000; ++i) {
    const Time scale = scales[i % 6];
    const Time whole = sim::uniform_int(rng, 0, 100'000) * scale;
    // Half the values get a few odd microseconds, so smaller units are needed too.
    const Time odd = sim::bernoulli(rng, 0.5) ? sim::uniform_int(rng, 0, 1000) : 0;
    const Time t = whole + odd;
    CAPTURE(t);
    CHECK(parse_duration(sim::format_duration(t)) == t);
  }
}

TEST_CASE("format_instant shows days and a clock time to the microsecond") {
  CHECK(sim::format_instant(0) == "0d 00:00:00.000000");
  CHECK(sim::format_instant(12 * sim::kDay + 3 * sim::kHour + 4 * sim::kMinute + 5 * sim::kSecond +
                            678901) == "12d 03:04:05.678901");
  CHECK(sim::format_instant(sim::kDay - 1) == "0d 23:59:59.999999");
  CHECK(sim::format_instant(sim::kDay) == "1d 00:00:00.000000");
  CHECK(sim::format_instant(400 * sim::kDay + 7) == "400d 00:00:00.000007");
  CHECK(sim::format_instant(-(sim::kHour + 1)) == "-0d 01:00:00.000001");
}
