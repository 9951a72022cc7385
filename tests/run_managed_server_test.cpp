// Exercise 1, restarting the model for real: a run that starts its model's server (model.server)
// starts it before the run, stops and starts it again at each restart the virtual clock reaches,
// and stops it at the end, also on an error or an interrupt; it stays deterministic.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "model/pipeline.h"
#include "model/scenario.h"
#include "sim/remote/server_process.h"
#include "src/cli.h"
#include "test_support.h"
#include "tests/remote_test_support.h"

namespace fraudsim::testing {
namespace {

// A short workshop run with a deterministic model at 127.0.0.1:port and two restarts inside the
// horizon (3:00 and 6:00, 20 s each) and one after it.
std::string scenario_text(int port, const std::string& server, const std::string& after_restart = "same") {
  return fmt::format(R"([run]
duration = 10min
[traffic]
rate = 10/s
[model]
kind = weighted
threshold = 40
server = {}
server_after_restart = {}
[faults]
model_restarts = 3min+20s, 6min+20s, 1h+20s
[endpoints]
com.ververica.ds/model = http://127.0.0.1:{}/statefun
)",
                     server, after_restart, port);
}

// fraudsim serve on `port`, serving the run's settings, that first appends a line to `starts`.
std::string counted_serve(int port, const std::filesystem::path& starts, const std::string& extra = "") {
  return fmt::format("sh -c 'echo start >> {}; exec \"$@\"' sh {} serve {{settings}} --port {}{}",
                     starts.string(), FRAUDSIM_EXECUTABLE, port, extra);
}

std::size_t lines_in(const std::filesystem::path& file) {
  const std::string text = read_file(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

nlohmann::json json_in(const std::filesystem::path& file) { return nlohmann::json::parse(read_file(file)); }

// (time_us, amount) of every alert in an alerts.csv.
std::vector<std::pair<std::int64_t, double>> alerts_in(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // time_us,time,transaction,account,merchant,amount,truth
  std::vector<std::pair<std::int64_t, double>> alerts;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    alerts.emplace_back(std::stoll(fields.at(0)), std::stod(fields.at(5)));
  }
  return alerts;
}

}  // namespace

TEST_CASE("the model's server is started, restarted at each restart the run reaches, and stopped at the end") {
  ScratchDirectory dir;
  const int port = unused_port();
  const std::string scenario = dir.write("managed.ini", scenario_text(port, counted_serve(port, dir / "starts")));
  const CliResult run = run_fraudsim({"run", scenario, "--out", (dir / "out").string()});
  REQUIRE_MESSAGE(run.exit_code == kExitOk, run.err);
  CHECK(lines_in(dir / "starts") == 3);  // the first start and the restarts at 3:00 and 6:00, not 1:00:00
  const nlohmann::json server = json_in(dir / "out" / "perf.json").at("model_server");
  CHECK(server.at("starts") == 3);
  CHECK(server.at("stops") == 3);
  CHECK(server.at("refused_while_down").get<int>() >= 2 * 20);  // one a virtual second, each window
  CHECK(server.at("answered_while_down") == 0);
  CHECK(run.out.find("model server       started 3 · stopped 3") != std::string::npos);
  CHECK(read_file(dir / "out" / "model-server.log").find("fraudsim serve:") != std::string::npos);
  CHECK_FALSE(sim::remote::accepts_connections("127.0.0.1", port));
  // The restarts cost retries, and the calls got through.
  const nlohmann::json summary = json_in(dir / "out" / "summary.json");
  CHECK(summary.at("model_calls").at("retries").get<int>() > 0);
  CHECK(summary.at("job_failure").is_null());
}

TEST_CASE("a managed run has the fingerprint and alerts of the same run with the server kept up by hand") {
  ScratchDirectory dir;
  const int port = unused_port();
  const std::string scenario = dir.write("managed.ini", scenario_text(port, counted_serve(port, dir / "starts")));
  const CliResult managed = run_fraudsim({"run", scenario, "--out", (dir / "managed").string(), "--quiet"});
  REQUIRE_MESSAGE(managed.exit_code == kExitOk, managed.err);

  const Scenario by_hand = load_scenario(scenario, {"model.server=none"});
  RunningServer server(by_hand);
  const CliResult kept_up = run_fraudsim({"run", scenario, "--out", (dir / "by-hand").string(), "--quiet",
                                          "--set", "model.server=none", "--set",
                                          "endpoints.com.ververica.ds/model=" + server.url()});
  REQUIRE_MESSAGE(kept_up.exit_code == kExitOk, kept_up.err);
  CHECK(json_in(dir / "managed" / "summary.json").at("fingerprint") ==
        json_in(dir / "by-hand" / "summary.json").at("fingerprint"));
  CHECK(read_file(dir / "managed" / "alerts.csv") == read_file(dir / "by-hand" / "alerts.csv"));
  CHECK(lines_in(dir / "managed" / "alerts.csv") > 100);
}

TEST_CASE("a model changed and redeployed mid-run: no alert above 1000 USD once the new one is up") {
  ScratchDirectory dir;
  const int port = unused_port();
  const std::string scenario = dir.write(
      "redeploy.ini",
      scenario_text(port, counted_serve(port, dir / "starts"),
                    counted_serve(port, dir / "starts", R"( --set "model.rules=amount > 1000 => 0")")));
  const CliResult run = run_fraudsim({"run", scenario, "--out", (dir / "out").string(), "--quiet",
                                      "--set", "faults.model_restarts=5min+20s"});
  REQUIRE_MESSAGE(run.exit_code == kExitOk, run.err);
  CHECK(lines_in(dir / "starts") == 2);
  std::size_t above_before = 0, above_after = 0, after = 0;
  for (const auto& [time, amount] : alerts_in(dir / "out" / "alerts.csv")) {
    if (time < (5 * 60 + 20) * sim::kSecond) {
      above_before += amount > 1000;
    } else {
      ++after;
      above_after += amount > 1000;
    }
  }
  CHECK(above_before > 1000);  // the old model alerts on nearly every large amount
  CHECK(after > 0);            // the new one still alerts, below 1000 USD only
  CHECK(above_after == 0);
}

TEST_CASE("a model's server that dies mid-run stops the run with an error that names it") {
  ScratchDirectory dir;
  const int port = unused_port();
  Scenario scenario = load_scenario(
      dir.write("dies.ini", scenario_text(port, fmt::format("sh -c 'echo $$ > {}; exec {} serve --port {}'",
                                                           (dir / "pid").string(), FRAUDSIM_EXECUTABLE, port))),
      {"faults.model_restarts=none", "traffic.rate=200/s"});
  RunHooks hooks;
  bool killed = false;
  hooks.on_progress = [&](sim::Time, std::uint64_t) {
    if (killed) return;
    int pid = 0;
    std::ifstream(dir / "pid") >> pid;
    REQUIRE(pid > 0);
    ::kill(pid, SIGKILL);
    // Until it is a zombie, which the run then finds.
    while (process_alive(pid)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    killed = true;
  };
  CHECK_THROWS_WITH_AS(run_pipeline(scenario, hooks),
                       doctest::Contains(fmt::format("model.server: the model's server [sh -c 'echo $$ > {}; "
                                                     "exec {} serve --port {}'] in {} was killed by signal 9 at ",
                                                     (dir / "pid").string(), FRAUDSIM_EXECUTABLE, port,
                                                     dir.path().string()).c_str()),
                       sim::remote::ServerError);
  CHECK(killed);
}

TEST_CASE("an interrupted run stops the model's server") {
  ScratchDirectory dir;
  const int port = unused_port();
  const Scenario scenario = load_scenario(
      dir.write("interrupted.ini",
                scenario_text(port, fmt::format("sh -c 'echo $$ > {}; exec {} serve --port {}'",
                                                (dir / "pid").string(), FRAUDSIM_EXECUTABLE, port))),
      {"traffic.rate=200/s"});
  struct Interrupt {};
  RunHooks hooks;
  hooks.on_progress = [](sim::Time, std::uint64_t) { throw Interrupt{}; };
  CHECK_THROWS_AS(run_pipeline(scenario, hooks), Interrupt);
  int pid = 0;
  std::ifstream(dir / "pid") >> pid;
  REQUIRE(pid > 0);
  CHECK_FALSE(process_alive(pid));
  CHECK_FALSE(sim::remote::accepts_connections("127.0.0.1", port));
}

TEST_CASE("a model's server that cannot start, or a port already taken, is an error and nothing is written") {
  ScratchDirectory dir;
  const int port = unused_port();
  const std::string scenario = dir.write("managed.ini", scenario_text(port, "no-such-server --port 1"));
  CliResult run = run_fraudsim({"run", scenario, "--out", (dir / "out").string()});
  CHECK(run.exit_code == kExitModelServer);
  CHECK(run.err == "fraudsim: error: model.server: cannot run [no-such-server --port 1] in " +
                       dir.path().string() + ": No such file or directory\n");
  CHECK_FALSE(std::filesystem::exists(dir / "out"));

  run = run_fraudsim({"run", scenario, "--out", (dir / "out").string(), "--set",
                      "model.server=sleep 30", "--set", "model.server_start_timeout=200ms"});
  CHECK(run.exit_code == kExitModelServer);
  CHECK(run.err == fmt::format("fraudsim: error: model.server: [sleep 30] in {} did not accept "
                               "connections on 127.0.0.1:{} within 200ms; stopped\n",
                               std::filesystem::current_path().string(), port));
  CHECK_FALSE(std::filesystem::exists(dir / "out"));

  RunningServer taken(load_scenario(scenario, {"model.server=none"}));
  run = run_fraudsim({"run", scenario, "--out", (dir / "out").string(), "--set",
                      "endpoints.com.ververica.ds/model=" + taken.url()});
  CHECK(run.exit_code == kExitModelServer);
  CHECK(run.err.find(fmt::format("model.server: something already answers on 127.0.0.1:{}", taken.port())) !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_CASE("model.server needs the model behind an endpoint of its own") {
  ScratchDirectory dir;
  const std::string scenario = dir.write("managed.ini", scenario_text(8071, "fraudsim serve --port 8071"));
  CHECK_THROWS_WITH_AS(load_scenario(scenario, {"endpoints.com.ververica.ds/model=embedded"}),
                       doctest::Contains("managed.ini:8: model.server = 'fraudsim serve --port 8071' starts a "
                                         "model's server, but the model is embedded"),
                       sim::InputError);
  CHECK_THROWS_WITH_AS(
      load_scenario(scenario, {"endpoints.com.ververica.fn/counter=http://127.0.0.1:8071/statefun"}),
      doctest::Contains("model.server restarts the model's server at 127.0.0.1:8071, but ververica/fraud-count "
                        "is served there too"),
      sim::InputError);
  CHECK_THROWS_WITH_AS(make_scenario({"model.server_after_restart=fraudsim serve"}),
                       doctest::Contains("model.server_after_restart = 'fraudsim serve' needs model.server"),
                       sim::InputError);
  CHECK_THROWS_WITH_AS(load_scenario(scenario, {"model.server=sh -c 'oops"}),
                       doctest::Contains("model.server = 'sh -c 'oops': the quote ' is never closed"),
                       sim::InputError);
}

TEST_CASE("--set and --seed reach the model's server through {settings}") {
  ScratchDirectory dir;
  const int port = unused_port();
  const std::string scenario = dir.write("managed.ini", scenario_text(port, counted_serve(port, dir / "starts")));
  const std::vector<std::string> changed{"--seed", "3", "--set", "model.bias=30", "--set", "model.kind=workshop"};
  std::vector<std::string> managed{"run", scenario, "--out", (dir / "managed").string(), "--quiet"};
  managed.insert(managed.end(), changed.begin(), changed.end());
  std::vector<std::string> embedded{"run", scenario, "--out", (dir / "embedded").string(), "--quiet",
                                    "--set", "model.server=none", "--set", "endpoints.com.ververica.ds/model=embedded"};
  embedded.insert(embedded.end(), changed.begin(), changed.end());
  REQUIRE(run_fraudsim(managed).exit_code == kExitOk);
  REQUIRE(run_fraudsim(embedded).exit_code == kExitOk);
  CHECK(json_in(dir / "managed" / "summary.json").at("fingerprint") ==
        json_in(dir / "embedded" / "summary.json").at("fingerprint"));
  CHECK(read_file(dir / "managed" / "alerts.csv") == read_file(dir / "embedded" / "alerts.csv"));
}

TEST_CASE("back-to-back restarts leave the model no time up between them, so its server is started once after") {
  ScratchDirectory dir;
  const int port = unused_port();
  const std::string scenario = dir.write("managed.ini", scenario_text(port, counted_serve(port, dir / "starts")));
  const CliResult run = run_fraudsim({"run", scenario, "--out", (dir / "out").string(), "--quiet", "--set",
                                      "faults.model_restarts=1min+10s, 70s+10s"});
  REQUIRE_MESSAGE(run.exit_code == kExitOk, run.err);
  CHECK(lines_in(dir / "starts") == 2);
  const nlohmann::json server = json_in(dir / "out" / "perf.json").at("model_server");
  CHECK(server.at("starts") == 2);
  CHECK(server.at("stops") == 2);
}

TEST_CASE("model.server refuses an endpoint that is not on this machine") {
  ScratchDirectory dir;
  const std::string scenario = dir.write("managed.ini", scenario_text(8071, "sleep 30"));
  const CliResult run = run_fraudsim({"run", scenario, "--out", (dir / "out").string(), "--set",
                                      "endpoints.com.ververica.ds/model=http://192.0.2.1:8071/statefun"});
  CHECK(run.exit_code == kExitBadInput);
  CHECK(run.err == "fraudsim: error: model.server starts the model's server on this machine, but the model's "
                   "endpoint http://192.0.2.1:8071/statefun is on 192.0.2.1, which is not an address of this "
                   "machine\n");
  CHECK_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_CASE("check runs scenarios that start servers on the same port one at a time") {
  ScratchDirectory dir;
  const int port = unused_port();
  std::string text = scenario_text(port, counted_serve(port, dir / "starts"));
  text.replace(text.find("duration = 10min"), 16, "duration = 1min");  // no restart, one start a run
  const std::string a = dir.write("a.ini", text), b = dir.write("b.ini", text), c = dir.write("c.ini", text);
  const std::string golden = (dir / "golden").string();
  CliResult result = run_fraudsim({"check", "--golden", golden, "--update", a, b, c});
  REQUIRE_MESSAGE(result.exit_code == kExitOk, (result.out + result.err));
  result = run_fraudsim({"check", "--golden", golden, "--threads", "3", a, b, c});
  CHECK_MESSAGE(result.exit_code == kExitOk, (result.out + result.err));
  CHECK(lines_in(dir / "starts") == 2 * 3);
}

}  // namespace fraudsim::testing
