// The failure scenarios as a user runs them: a job failure's exit code and report, the spikes a
// restart or an outage leaves in the time series, and the timing files.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

using Table = std::vector<std::map<std::string, std::string>>;

// A CSV file with a header, as rows of column -> text.
Table read_csv(const std::filesystem::path& path) {
  std::istringstream in(read_file(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> columns;
  std::istringstream header(line);
  for (std::string c; std::getline(header, c, ',');) columns.push_back(c);
  Table rows;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::map<std::string, std::string> row;
    std::size_t i = 0;
    for (std::string f; i < columns.size() && std::getline(fields, f, ',');) row[columns[i++]] = f;
    rows.push_back(std::move(row));
  }
  return rows;
}

long number(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stol(row.at(column));
}

CliResult run_scenario(const std::string& name, const std::filesystem::path& out,
                       std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run", source_path("scenarios/" + name), "--quiet", "--out",
                                out.string(), "--set", "traffic.rate=20/s"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_fraudsim(args);
}

}  // namespace

TEST_CASE("a job failure exits with code 3, says why, and still writes its results") {
  ScratchDirectory scratch;
  const CliResult result = run_scenario("model-outage-long.ini", scratch / "out");
  CHECK(result.exit_code == 3);
  CHECK(result.err.find("the job failed at 0d 00:11:") != std::string::npos);
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  const auto& failure = summary.at("job_failure");
  REQUIRE(failure.is_object());
  CHECK(failure.at("time_us").get<long>() > 11 * 60'000'000L);
  CHECK(failure.at("time_us").get<long>() < 11 * 60'000'000L + 5'000'000L);
  CHECK(failure.at("cause").get<std::string>().find("call timeout of 1min") != std::string::npos);
  CHECK(summary.at("model_calls").at("restarts_seen") == 1);
  // The time series stops at the failure: 12 rows of one minute.
  CHECK(read_csv(scratch / "out" / "timeseries.csv").size() == 12);
}

TEST_CASE("a model restart shows in the time series as retries in its minute and nowhere else") {
  ScratchDirectory scratch;
  REQUIRE(run_scenario("model-restart.ini", scratch / "out").exit_code == 0);
  const Table rows = read_csv(scratch / "out" / "timeseries.csv");
  REQUIRE(rows.size() == 20);
  for (std::size_t minute = 0; minute < rows.size(); ++minute) {
    CAPTURE(minute);
    if (minute == 10) {
      CHECK(number(rows[minute], "model_retries") > 100);
      CHECK(number(rows[minute], "model_failed_attempts") > 100);
    } else {
      CHECK(number(rows[minute], "model_retries") == 0);
    }
    // Decisions in the restart's minute wait for it; elsewhere merchant attempts bound them.
    if (minute == 10) {
      CHECK(number(rows[minute], "latency_max_us") > 20'000'000L);
    } else if (minute > 0) {
      CHECK(number(rows[minute], "latency_max_us") < 20'000'000L);
    }
  }
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  CHECK(summary.at("job_failure").is_null());
  CHECK(summary.at("model_calls").at("retries").get<long>() > 100);
  // Transactions caught in the 20 s restart wait for it: the slowest decision takes longer.
  CHECK(summary.at("decision_latency_us").at("max").get<long>() > 20'000'000L);
}

TEST_CASE("a hanging merchant outage shows as timeouts during the outage minutes") {
  ScratchDirectory scratch;
  REQUIRE(run_scenario("merchant-outage.ini", scratch / "out").exit_code == 0);
  const Table rows = read_csv(scratch / "out" / "timeseries.csv");
  REQUIRE(rows.size() == 90);
  auto in_outage = [](std::size_t m) { return (m >= 20 && m < 25) || (m >= 60 && m < 70); };
  long during = 0, outside = 0;
  for (std::size_t minute = 0; minute < rows.size(); ++minute) {
    (in_outage(minute) ? during : outside) += number(rows[minute], "merchant_timeouts");
  }
  // Outside the outages only the odd slow attempt times out (and the first minute after each).
  CHECK(during > 10 * outside);
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  CHECK(summary.at("merchant").at("outages_seen") == 2);
  CHECK(summary.at("per_transaction").at("with_error_feature").get<long>() > 0);
}

TEST_CASE("the latency histogram has fixed log-spaced rows that count every decision") {
  ScratchDirectory scratch;
  REQUIRE(run_scenario("merchant-timeouts.ini", scratch / "out").exit_code == 0);
  const Table rows = read_csv(scratch / "out" / "latency_histogram.csv");
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  long total = 0;
  for (const auto& row : rows) total += number(row, "count");
  CHECK(total == summary.at("transactions").at("decided").get<long>());
  // Ten rows per decade: 1, 2 (1.26), 2 (1.58), 2, 3, 3, 4, 5, 6, 8, 10 µs...
  CHECK(rows.front().at("low_us") == "0");
  CHECK(rows.at(1).at("low_us") == "1");
  CHECK(rows.back().at("high_us").empty());
  bool increasing = true;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    increasing &= number(rows[i], "low_us") > number(rows[i - 1], "low_us");
    if (i + 1 < rows.size()) increasing &= rows[i].at("high_us") == rows[i + 1].at("low_us");
  }
  CHECK(increasing);
}

TEST_CASE("--decisions writes one row per decided transaction with its attempts and backoff") {
  ScratchDirectory scratch;
  REQUIRE(run_scenario("merchant-timeouts.ini", scratch / "out",
                       {"--decisions", "--set", "run.duration=2min"})
              .exit_code == 0);
  const Table rows = read_csv(scratch / "out" / "decisions.csv");
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  CHECK(static_cast<long>(rows.size()) == summary.at("transactions").at("decided").get<long>());
  long errors = 0, retried = 0;
  for (const auto& row : rows) {
    CHECK(number(row, "merchant_attempts") >= 1);
    CHECK(number(row, "merchant_attempts") <= 3);
    CHECK(number(row, "model_attempts") == 1);
    errors += number(row, "merchant_error");
    if (number(row, "merchant_attempts") > 1) {
      ++retried;
      CHECK(number(row, "backoff_us") > 0);
    }
  }
  CHECK(errors == summary.at("per_transaction").at("with_error_feature").get<long>());
  CHECK(retried > 0);
}

}  // namespace fraudsim::testing
