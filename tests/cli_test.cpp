// The command line: its results, and bad input that gets one clear line, exit 2 and no output.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "model/scenario.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

namespace fs = std::filesystem;

std::string workshop() { return source_path("scenarios/workshop.ini"); }

// Runs a command that must fail on bad input and checks the failure's shape.
void check_rejected(const std::vector<std::string>& arguments, const std::vector<std::string>& named) {
  ScratchDirectory scratch;
  std::vector<std::string> args = arguments;
  args.insert(args.end(), {"--out", (scratch / "out").string(), "--trace",
                           (scratch / "events.trace").string()});
  const CliResult result = run_fraudsim(args);
  CAPTURE(result.err);
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err.rfind("fraudsim: error: ", 0) == 0);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') <= 2);
  for (const std::string& part : named) CHECK(result.err.find(part) != std::string::npos);
  CHECK(listing(scratch.path()).empty());  // nothing written: no results, no trace, no leftovers
}

}  // namespace

TEST_CASE("fraudsim --version names the program and its version") {
  const CliResult result = run_fraudsim({"--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.rfind("fraudsim ", 0) == 0);
}

TEST_CASE("fraudsim --help lists the subcommands") {
  const CliResult result = run_fraudsim({"--help"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("run") != std::string::npos);
  CHECK(result.out.find("keys") != std::string::npos);
}

TEST_CASE("fraudsim keys lists every scenario key with its default") {
  const CliResult result = run_fraudsim({"keys"});
  REQUIRE(result.exit_code == 0);
  for (const auto& key : scenario_schema().keys()) {
    const std::string name = key.name.substr(key.name.find('.') + 1);
    CAPTURE(key.name);
    CHECK(result.out.find(name + " ") != std::string::npos);
  }
  CHECK(result.out.find("[fraud]") != std::string::npos);
}

TEST_CASE("a run writes summary, alerts, time series and perf files and nothing else") {
  ScratchDirectory scratch;
  const CliResult result = run_fraudsim({"run", workshop(), "--set", "run.duration=30s", "--out",
                                         (scratch / "out").string()});
  REQUIRE(result.exit_code == 0);
  CHECK(listing(scratch.path()) == std::vector<std::string>{"out"});
  CHECK(listing(scratch / "out") ==
        std::vector<std::string>{"alerts.csv", "latency_histogram.csv", "perf.json", "summary.json",
                                 "timeseries.csv"});
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  CHECK(summary.at("scenario") == "workshop");
  CHECK(summary.at("fingerprint").get<std::string>().size() == 16);
  CHECK(summary.at("settings").at("run.duration") == "30s");
  // The workshop generator carries no ground truth: those counts are null, not zero.
  CHECK(summary.at("alerts").at("true_positives").is_null());
  CHECK(summary.at("alerts").at("precision").is_null());
  CHECK(summary.at("transactions").at("fraud").is_null());
  // The printed summary shows the same fingerprint.
  CHECK(result.out.find(summary.at("fingerprint").get<std::string>()) != std::string::npos);
  // One alerts.csv line per alert, after the header.
  const std::string alerts = read_file(scratch / "out" / "alerts.csv");
  const auto lines = std::count(alerts.begin(), alerts.end(), '\n');
  CHECK(lines == summary.at("alerts").at("total").get<long>() + 1);
  CHECK(nlohmann::json::parse(read_file(scratch / "out" / "perf.json")).contains("events_per_second"));
}

TEST_CASE("a second run into the same directory replaces the first one's results") {
  ScratchDirectory scratch;
  const std::string out = (scratch / "out").string();
  REQUIRE(run_fraudsim({"run", workshop(), "--quiet", "--set", "run.duration=10s", "--out", out})
              .exit_code == 0);
  REQUIRE(run_fraudsim({"run", workshop(), "--quiet", "--set", "run.duration=20s", "--out", out})
              .exit_code == 0);
  const auto summary = nlohmann::json::parse(read_file(scratch / "out" / "summary.json"));
  CHECK(summary.at("settings").at("run.duration") == "20s");
  CHECK(listing(scratch.path()) == std::vector<std::string>{"out"});
}

TEST_CASE("--quiet prints nothing on success") {
  ScratchDirectory scratch;
  const CliResult result = run_fraudsim({"run", workshop(), "--quiet", "--set", "run.duration=5s",
                                         "--out", (scratch / "out").string()});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

TEST_CASE("an unknown key in the scenario file is named with its file and line") {
  ScratchDirectory files;
  const std::string path = files.write("typo.ini", "[run]\nduration = 10s\n\n[fraud]\nwindw = 7d\n");
  check_rejected({"run", path}, {path + ":5", "fraud.windw", "fraud.window"});
}

TEST_CASE("a bad unit is named with file, line, key and value") {
  ScratchDirectory files;
  const std::string path = files.write("unit.ini", "[fraud]\nwindow = 30x\n");
  check_rejected({"run", path}, {path + ":2", "fraud.window", "30x", "unit"});
}

TEST_CASE("a negative value is rejected") {
  ScratchDirectory files;
  const std::string path = files.write("negative.ini", "[traffic]\naccounts = -5\n");
  check_rejected({"run", path}, {path + ":2", "traffic.accounts", "-5"});
}

TEST_CASE("an absurd value is rejected") {
  check_rejected({"run", workshop(), "--set", "run.duration=100000d"},
                 {"run.duration", "100000d", "between"});
}

TEST_CASE("a missing scenario file is named") {
  check_rejected({"run", "no-such-directory/scenario.ini"}, {"no-such-directory/scenario.ini"});
}

TEST_CASE("a --set without section.key=value is rejected") {
  check_rejected({"run", workshop(), "--set", "windowis7d"}, {"--set", "windowis7d"});
  check_rejected({"run", workshop(), "--set", "fraud.window"}, {"fraud.window"});
}

TEST_CASE("an unknown --set key is rejected with a suggestion") {
  check_rejected({"run", workshop(), "--set", "model.treshold=70"},
                 {"model.treshold", "model.threshold"});
}

TEST_CASE("a malformed line in the scenario file is named") {
  ScratchDirectory files;
  const std::string path = files.write("broken.ini", "[run]\nduration 10s\n");
  check_rejected({"run", path}, {path + ":2", "duration 10s"});
}

TEST_CASE("a bad replay row stops the run before anything is written") {
  ScratchDirectory files;
  files.write("tx.csv", "time,account,merchant,amount\n0s,0x00100000,Amberworks,10\n1s,0x00100000,Amberworks,ten\n");
  const std::string path =
      files.write("replay.ini", "[traffic]\ngenerator = replay\ntransactions = tx.csv\n");
  check_rejected({"run", path}, {"tx.csv:3", "amount", "ten"});
}

TEST_CASE("an --out directory that holds something else is never replaced") {
  ScratchDirectory scratch;
  scratch.write("precious.txt", "keep me");
  const CliResult result =
      run_fraudsim({"run", workshop(), "--set", "run.duration=5s", "--out", scratch.path().string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("precious.txt") != std::string::npos);
  CHECK(read_file(scratch / "precious.txt") == "keep me");
}

TEST_CASE("an --out directory with a summary.json among other files is never replaced either") {
  ScratchDirectory scratch;
  std::filesystem::create_directories(scratch / "project");
  scratch.write("project/summary.json", "{}");
  scratch.write("project/thesis.tex", "keep me");
  const CliResult result = run_fraudsim({"run", workshop(), "--set", "run.duration=5s", "--out",
                                         (scratch / "project").string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("thesis.tex") != std::string::npos);
  CHECK(read_file(scratch / "project" / "thesis.tex") == "keep me");
}

TEST_CASE("a trace path that is a directory, the scenario or inside the output is refused up front") {
  ScratchDirectory scratch;
  const std::string scenario = scratch.write("s.ini", "[run]\nduration = 5s\n");
  const std::string out = (scratch / "out").string();
  for (const std::string& trace : {scratch.path().string(), scenario, out + "/events.trace"}) {
    CAPTURE(trace);
    const CliResult result = run_fraudsim({"run", scenario, "--out", out, "--trace", trace});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("--trace") != std::string::npos);
  }
  CHECK(read_file(scenario) == "[run]\nduration = 5s\n");
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("a trace written to a device goes straight to it and leaves the device in place") {
  ScratchDirectory scratch;
  const CliResult result = run_fraudsim({"run", workshop(), "--quiet", "--set", "run.duration=2s",
                                         "--out", (scratch / "out").string(), "--trace", "/dev/null"});
  CHECK(result.exit_code == 0);
  CHECK(std::filesystem::is_character_file("/dev/null"));
}

TEST_CASE("an output path that cannot be created is bad input naming it") {
  ScratchDirectory scratch;
  scratch.write("afile", "x");
  const CliResult result = run_fraudsim({"run", workshop(), "--set", "run.duration=2s", "--out",
                                         (scratch / "afile" / "sub").string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("afile") != std::string::npos);
  CHECK(run_fraudsim({"run", workshop(), "--out", "."}).exit_code == 2);
}

TEST_CASE("a seed that is not a whole number from 0 is named as typed") {
  check_rejected({"run", workshop(), "--seed", "-1"}, {"--seed -1", "run.seed", "'-1'"});
  check_rejected({"run", workshop(), "--seed", "99999999999999999999"}, {"'99999999999999999999'"});
}

TEST_CASE("a replay row that is not valid UTF-8 is named") {
  ScratchDirectory files;
  files.write("tx.csv", "time,account,merchant,amount\n0s,\xff\xfe,Amberworks,10\n");
  const std::string path =
      files.write("replay.ini", "[traffic]\ngenerator = replay\ntransactions = tx.csv\n");
  check_rejected({"run", path}, {"tx.csv:2", "UTF-8"});
}

TEST_CASE("a directory given as the scenario is refused") {
  ScratchDirectory scratch;
  const CliResult result = run_fraudsim({"run", scratch.path().string(), "--out",
                                         (scratch / "out").string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("directory") != std::string::npos);
}

TEST_CASE("an endpoint whose host does not resolve is named where it was set, before anything runs") {
  check_rejected({"run", workshop(), "--set", "endpoints.com.ververica.fn/*=http://nohost.invalid:8000/x"},
                 {"--set endpoints.com.ververica.fn/*=http://nohost.invalid:8000/x: endpoint "
                  "'com.ververica.fn/*' = 'http://nohost.invalid:8000/x': cannot resolve the host "
                  "'nohost.invalid'"});
}

TEST_CASE("serve refuses a port that is empty, not a number or out of range, before listening") {
  for (const char* port : {"", "http", "-1", "65536"}) {
    CAPTURE(port);
    const CliResult result = run_fraudsim({"serve", "--port", port});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.find("--port") != std::string::npos);
  }
}

TEST_CASE("a filtered trace keeps only the events of its address, type and time window") {
  ScratchDirectory scratch;
  const auto run = [&](const std::string& name, std::vector<std::string> filter) {
    std::vector<std::string> args{"run", workshop(), "--set", "run.duration=90s", "--out",
                                  (scratch / name).string(), "--trace", (scratch / (name + ".trace")).string()};
    args.insert(args.end(), filter.begin(), filter.end());
    return run_fraudsim(args);
  };
  const CliResult all = run("all", {});
  const CliResult some = run("some", {"--trace-address", "ververica/model", "--trace-type", "FraudScore",
                                      "--trace-from", "1min", "--trace-until", "61s"});
  REQUIRE(all.exit_code == 0);
  REQUIRE(some.exit_code == 0);
  const auto fingerprint = [](const std::string& out) { return out.substr(out.find("fingerprint"), 40); };
  CHECK(fingerprint(all.out) == fingerprint(some.out));  // filtering changes what is written, not the run
  std::istringstream kept(read_file(scratch / "some.trace"));
  std::size_t lines = 0;
  for (std::string line; std::getline(kept, line); ++lines) {
    CAPTURE(line);
    const long time = std::stol(line);
    CHECK(time >= 60'000'000);
    CHECK(time <= 61'000'000);
    CHECK(line.find("ververica/model/") != std::string::npos);
    CHECK(line.find(" FraudScore {") != std::string::npos);
  }
  CHECK(lines > 5);
  // Every kept line is in the whole trace.
  const std::string whole = read_file(scratch / "all.trace");
  std::istringstream again(read_file(scratch / "some.trace"));
  for (std::string line; std::getline(again, line);) CHECK(whole.find(line + "\n") != std::string::npos);
  // An event kind works as a type too.
  REQUIRE(run("timers", {"--trace-type", "timer", "--trace-until", "10s"}).exit_code == 0);
  const std::string timers = read_file(scratch / "timers.trace");
  CHECK(std::count(timers.begin(), timers.end(), '\n') > 100);
  CHECK(timers.find(" deliver ") == std::string::npos);
}

TEST_CASE("trace filters without --trace, or with a window that runs backwards, are refused") {
  ScratchDirectory scratch;
  const CliResult alone =
      run_fraudsim({"run", workshop(), "--trace-type", "timer", "--out", (scratch / "out").string()});
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("add --trace FILE") != std::string::npos);
  CHECK(listing(scratch.path()).empty());
  check_rejected({"run", workshop(), "--trace-from", "2min", "--trace-until", "1min"},
                 {"--trace-from 2min is after --trace-until 1min"});
  check_rejected({"run", workshop(), "--trace-from", "soon"}, {"--trace-from 'soon'"});
}

TEST_CASE("a run removes the staging directories of killed runs into the same place") {
  ScratchDirectory scratch;
  // Process ids above the kernel's largest (4,194,304) belong to no process.
  const fs::path abandoned = scratch / ".out.staging-99999999";
  fs::create_directory(abandoned);
  scratch.write(".out.staging-99999999/alerts.csv", "");
  const fs::path unrelated = scratch / ".other.staging-99999999";
  fs::create_directory(unrelated);
  const fs::path alive = scratch / (".out.staging-" + std::to_string(::getppid()));
  fs::create_directory(alive);
  REQUIRE(run_fraudsim({"run", workshop(), "--quiet", "--set", "run.duration=5s", "--out",
                        (scratch / "out").string()})
              .exit_code == 0);
  CHECK_FALSE(fs::exists(abandoned));
  CHECK(fs::exists(unrelated));
  CHECK(fs::exists(alive));  // a live process may still be writing it
}

TEST_CASE("a failed run leaves the previous results as they were") {
  ScratchDirectory scratch;
  const std::string out = (scratch / "out").string();
  REQUIRE(run_fraudsim({"run", workshop(), "--quiet", "--set", "run.duration=5s", "--out", out})
              .exit_code == 0);
  const std::string before = read_file(scratch / "out" / "summary.json");
  CHECK(run_fraudsim({"run", workshop(), "--set", "fraud.window=soon", "--out", out}).exit_code == 2);
  CHECK(read_file(scratch / "out" / "summary.json") == before);
  CHECK(listing(scratch.path()) == std::vector<std::string>{"out"});
}

TEST_CASE("an unknown subcommand or option is a usage error") {
  CHECK(run_fraudsim({"fly"}).exit_code == 2);
  CHECK(run_fraudsim({"run", workshop(), "--sed", "3"}).exit_code == 2);
  CHECK(run_fraudsim({}).exit_code == 2);
}

}  // namespace fraudsim::testing
