// fraudsim check as a user runs it: golden results written by --update, a timing change caught
// with what moved, a change that moves nothing passing, and broken goldens named.
#include <doctest/doctest.h>

#include <filesystem>

#include "cli_support.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

namespace fs = std::filesystem;

// A short workshop scenario with a merchant timeout, so its timing can be changed in one line.
std::string scenario_text(const std::string& timeout, const std::string& extra = "") {
  return "[run]\nseed = 3\nduration = 20s\n\n[traffic]\nrate = 20/s\n\n[merchant]\n"
         "latency = lognormal(400ms, 1.0)\ntimeout = " + timeout + "\n" + extra;
}

struct CheckFixture {
  ScratchDirectory scratch;
  std::string scenario = scratch.write("timed.ini", scenario_text("1s"));
  std::string golden = (scratch / "golden").string();

  CliResult check(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"check", scenario, "--golden", golden};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_fraudsim(args);
  }
};

}  // namespace

TEST_CASE("check --update writes a golden result, and check then passes") {
  CheckFixture f;
  const CliResult first = f.check();
  CHECK(first.exit_code == 4);
  CHECK(first.out.rfind("MISSING   timed", 0) == 0);
  const CliResult update = f.check({"--update"});
  CAPTURE(update.err);
  REQUIRE(update.exit_code == 0);
  CHECK(update.out.find("updated   timed  written ") == 0);
  CHECK(listing(f.golden) == std::vector<std::string>{"timed.json"});
  const CliResult again = f.check();
  CHECK(again.exit_code == 0);
  CHECK(again.out.rfind("ok        timed  ", 0) == 0);
  CHECK(again.err.empty());
}

TEST_CASE("a one-line change to a timing setting fails the check, naming what moved") {
  CheckFixture f;
  REQUIRE(f.check({"--update"}).exit_code == 0);
  f.scratch.write("timed.ini", scenario_text("700ms"));
  const CliResult result = f.check();
  CAPTURE(result.out);
  CHECK(result.exit_code == 4);
  CHECK(result.out.rfind("CHANGED   timed  fingerprint \"", 0) == 0);
  CHECK(result.out.find("settings.merchant.timeout \"1s\" → \"700ms\"") != std::string::npos);
  CHECK(result.out.find("merchant.attempts") != std::string::npos);
  CHECK(result.err.find("1 of 1 scenarios do not match their golden results") != std::string::npos);
  // --update takes the change and says what it was.
  const CliResult update = f.check({"--update"});
  CHECK(update.exit_code == 0);
  CHECK(update.out.rfind("updated   timed  fingerprint", 0) == 0);
  CHECK(f.check().exit_code == 0);
}

TEST_CASE("a change that affects nothing, a comment, passes the check") {
  CheckFixture f;
  REQUIRE(f.check({"--update"}).exit_code == 0);
  f.scratch.write("timed.ini", "# reviewed on Monday\n" + scenario_text("1s", "# the end\n"));
  CHECK(f.check().exit_code == 0);
}

TEST_CASE("a corrupted golden result is named as such, never a crash") {
  CheckFixture f;
  fs::create_directories(f.golden);
  f.scratch.write("golden/timed.json", "{\"fingerprint\": \"12");
  const CliResult truncated = f.check();
  CHECK(truncated.exit_code == 4);
  CHECK(truncated.out.find("ERROR     timed") == 0);
  CHECK(truncated.out.find("timed.json: not a golden result: not valid JSON") != std::string::npos);
  f.scratch.write("golden/timed.json", "{\"alerts\": 3}");
  CHECK(f.check().out.find("not a golden result: it has no fingerprint") != std::string::npos);
  // --update replaces it.
  CHECK(f.check({"--update"}).exit_code == 0);
  CHECK(f.check().exit_code == 0);
}

TEST_CASE("check names a scenario that does not load and still checks the others") {
  CheckFixture f;
  REQUIRE(f.check({"--update"}).exit_code == 0);
  const std::string broken = f.scratch.write("broken.ini", "[run]\nduration = soon\n");
  const CliResult result = run_fraudsim({"check", f.scenario, broken, "--golden", f.golden});
  CHECK(result.exit_code == 4);
  CHECK(result.out.find("ok        ") == 0);
  CHECK(result.out.find("ERROR     " + broken) != std::string::npos);
  CHECK(result.out.find("run.duration = 'soon'") != std::string::npos);
}

}  // namespace fraudsim::testing
