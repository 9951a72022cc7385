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

TEST_CASE("a failed check names the first divergent event, the one fraudsim diff finds in the traces") {
  CheckFixture f;
  REQUIRE(f.check({"--update"}).exit_code == 0);
  REQUIRE(run_fraudsim({"run", f.scenario, "--quiet", "--out", (f.scratch / "a").string(), "--trace",
                        (f.scratch / "a.trace").string()})
              .exit_code == 0);
  f.scratch.write("timed.ini", scenario_text("700ms"));
  REQUIRE(run_fraudsim({"run", f.scenario, "--quiet", "--out", (f.scratch / "b").string(), "--trace",
                        (f.scratch / "b.trace").string()})
              .exit_code == 0);
  const CliResult diff =
      run_fraudsim({"diff", (f.scratch / "a.trace").string(), (f.scratch / "b.trace").string()});
  CHECK(diff.exit_code == 4);
  REQUIRE(diff.out.rfind("first divergence at event ", 0) == 0);
  const std::string where = diff.out.substr(0, diff.out.find(':'));  // "first divergence at event N, virtual time T"
  const CliResult check = f.check();
  CAPTURE(check.out);
  CHECK(check.out.find("\n  " + where + ":") != std::string::npos);
  CHECK(check.out.find("with the golden result's settings") != std::string::npos);
  // The same trace twice: no divergence.
  const CliResult same =
      run_fraudsim({"diff", (f.scratch / "a.trace").string(), (f.scratch / "a.trace").string()});
  CHECK(same.exit_code == 0);
  CHECK(same.out == "the traces are the same\n");
}

TEST_CASE("diff names a trace it cannot read") {
  const CliResult result = run_fraudsim({"diff", "/nonexistent/a.trace", "/nonexistent/b.trace"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "fraudsim: error: /nonexistent/a.trace: cannot read the trace\n");
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

TEST_CASE("a run names each broken expectation, exits 5, and still writes its results") {
  ScratchDirectory scratch;
  const std::string scenario = scratch.write(
      "expecting.ini", scenario_text("1s") +
                           "\n[expect]\nalerts.total = 1..3\ndecision_latency_us.p99 = ..1s\n"
                           "job_failure = none\ntransactions.ingested = 401\nmerchant.timeouts = 1..\n");
  const CliResult result = run_fraudsim({"run", scenario, "--quiet", "--out", (scratch / "out").string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 5);
  CHECK(result.err.find("fraudsim: expect alerts.total = 1..3 (" + scenario + ":13): it was ") == 0);
  CHECK(result.err.find("expect decision_latency_us.p99 = ..1s (" + scenario + ":14): it was ") !=
        std::string::npos);
  // Kept: no job failure, 401 transactions in 20 s at 20/s, some timeouts.
  CHECK(result.err.find("job_failure") == std::string::npos);
  CHECK(result.err.find("transactions.ingested") == std::string::npos);
  CHECK(result.err.find("merchant.timeouts") == std::string::npos);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 2);
  CHECK(fs::exists(scratch / "out" / "summary.json"));
}

TEST_CASE("kept expectations change nothing: exit 0 and the same fingerprint") {
  ScratchDirectory scratch;
  const std::string plain = scratch.write("plain.ini", scenario_text("1s"));
  const std::string expecting =
      scratch.write("expecting.ini", scenario_text("1s") + "\n[expect]\njob_failure = none\nalerts.total = 1..\n");
  const CliResult a = run_fraudsim({"run", plain, "--out", (scratch / "a").string()});
  const CliResult b = run_fraudsim({"run", expecting, "--out", (scratch / "b").string()});
  CHECK(b.exit_code == 0);
  CHECK(b.err.empty());
  const auto fingerprint = [](const std::string& out) { return out.substr(out.find("fingerprint"), 40); };
  CHECK(fingerprint(a.out) == fingerprint(b.out));
}

TEST_CASE("a malformed [expect] line is named with its file, line and bound, before anything runs") {
  ScratchDirectory scratch;
  const std::string scenario =
      scratch.write("bad.ini", scenario_text("1s") + "\n[expect]\nalerts.total = 9..3\n");
  const CliResult result = run_fraudsim({"run", scenario, "--out", (scratch / "out").string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "fraudsim: error: " + scenario +
                          ":13: expect alerts.total = '9..3': the range runs backwards; write "
                          "LOW..HIGH, ..HIGH, LOW.., a value, or none\n");
  CHECK_FALSE(fs::exists(scratch / "out"));
  const std::string plain = scratch.write("plain.ini", scenario_text("1s"));
  for (const char* bound : {"lots", "..", "1..2x", ""}) {
    CAPTURE(bound);
    CHECK(run_fraudsim({"run", plain, "--set", std::string("expect.alerts.total=") + bound, "--out",
                        (scratch / "out").string()})
              .exit_code == 2);
  }
  const CliResult unknown = run_fraudsim({"run", plain, "--set", "expect.alerts.totl=1..", "--out",
                                          (scratch / "out").string()});
  CHECK(unknown.err.find("the summary has no value 'alerts.totl'; did you mean 'alerts.total'?") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(scratch / "out"));
}

}  // namespace fraudsim::testing
