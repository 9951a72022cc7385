// Remote functions over real HTTP: `fraudsim serve`'s server in process on a free loopback port,
// and runs that reach it through the HTTP transport.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "sim/remote/http_transport.h"
#include "tests/remote_test_support.h"

namespace fraudsim::testing {
namespace {

std::vector<std::string> settings(std::vector<std::string> extra) {
  std::vector<std::string> all{"run.duration=1min", "traffic.rate=20/s", "fraud.window=30s",
                               "fraud.alert_confirm_share=0.3"};
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

// An endpoint that takes requests and never answers them, until it is destroyed.
class HungServer {
 public:
  HungServer() {
    server_.Post(".*", [this](const httplib::Request&, httplib::Response& response) {
      std::unique_lock lock(mutex_);
      released_.wait(lock, [&] { return release_; });
      response.status = 500;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~HungServer() {
    {
      std::lock_guard lock(mutex_);
      release_ = true;
    }
    released_.notify_all();
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/statefun"; }

 private:
  httplib::Server server_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
  int port_ = 0;
  std::thread thread_;
};

struct Abandoned {};

TEST_CASE("http: a model served over HTTP gives the embedded run's fingerprint, run after run") {
  const Scenario embedded = make_scenario(settings({}));
  RunningServer server(embedded);
  const Scenario remote = make_scenario(settings({"endpoints.com.ververica.ds/*=" + server.url()}));
  const RunReport expected = run_pipeline(embedded);
  const RunReport first = run_pipeline(remote);
  const RunReport second = run_pipeline(remote);
  CHECK_FALSE(first.failure);
  CHECK(first.types[3].calls.completed_calls > 500);
  CHECK(first.fingerprint == expected.fingerprint);
  CHECK(second.fingerprint == expected.fingerprint);
  CHECK(server.log.str().empty());
}

TEST_CASE("http: a refused connection is retried until the call timeout, then the job fails") {
  int free_port = 0;
  {
    RunningServer closed(make_scenario({}));
    free_port = closed.port();
  }  // nothing listens there any more
  const std::string url = "http://127.0.0.1:" + std::to_string(free_port) + "/statefun";
  const RunReport report = run_pipeline(
      make_scenario(settings({"endpoints.com.ververica.ds/model=" + url, "model.call_timeout=2s"})));
  REQUIRE(report.failure);
  CHECK(report.failure->cause.find("within the call timeout of 2s") != std::string::npos);
  CHECK(report.failure->cause.find("connection refused") != std::string::npos);
  CHECK(report.failure->cause.find(url) != std::string::npos);
  CHECK(report.types[3].calls.retries > 3);
}

TEST_CASE("http: a request a hung endpoint never answers fails after remote.wall_timeout") {
  HungServer hung;
  const auto start = std::chrono::steady_clock::now();
  const RunReport report = run_pipeline(make_scenario(settings(
      {"endpoints.com.ververica.ds/model=" + hung.url(), "model.call_timeout=100ms",
       "remote.wall_timeout=200ms"})));
  REQUIRE(report.failure);
  CHECK(report.failure->cause.find("no answer within 200ms of wall-clock time") != std::string::npos);
  // Attempts at 0, 11, 32 and 73 ms of virtual time, each given up after 200 ms of real time.
  CHECK(report.types[3].calls.attempts == 4);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("http: a run waiting on a hung endpoint can be abandoned from while_waiting") {
  HungServer hung;
  RunHooks hooks;
  int waits = 0;
  hooks.while_waiting = [&] {
    if (++waits == 3) throw Abandoned{};
  };
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(run_pipeline(make_scenario(settings({"endpoints.com.ververica.ds/model=" + hung.url(),
                                                       "remote.wall_timeout=1h"})),
                               hooks),
                  Abandoned);
  CHECK(waits == 3);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("http: closing the connections waits for a request under way, or cuts it when asked") {
  HungServer hung;
  sim::remote::HttpTransportOptions options;
  options.connections = 2;
  options.read_timeout = sim::kHour;
  sim::remote::HttpTransport transport(options);
  const auto ticket = transport.post(hung.url(), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the request is under way
  const auto start = std::chrono::steady_clock::now();
  transport.close_connections(/*cut_requests_under_way=*/true);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  const sim::remote::HttpAnswer answer = transport.await(ticket);
  CHECK(answer.status == 0);
  CHECK_FALSE(answer.error.empty());
}

TEST_CASE("http: a second server cannot take the port of one that is running") {
  RunningServer running(make_scenario({}));
  const Scenario scenario = make_scenario({});
  ServedFunctions functions(scenario);
  std::ostringstream log;
  FunctionServer second(functions, log);
  const std::string refusal = "cannot listen on 127.0.0.1:" + std::to_string(running.port());
  CHECK_THROWS_WITH_AS(second.bind("127.0.0.1", running.port()), doctest::Contains(refusal.c_str()),
                       sim::InputError);
}

TEST_CASE("http: the server answers a bad request with 500 and an empty body, and says why") {
  RunningServer server(make_scenario({}));
  httplib::Client client("127.0.0.1", server.port());
  const auto garbage = client.Post("/statefun", "\xff\xff", "application/octet-stream");
  REQUIRE(garbage);
  CHECK(garbage->status == 500);
  CHECK(garbage->body.empty());
  CHECK(garbage->get_header_value("Content-Type") == "application/octet-stream");
  const auto empty = client.Post("/statefun", "", "application/octet-stream");
  REQUIRE(empty);
  CHECK(empty->status == 500);
  CHECK(server.log.str().find("not a ToFunction") != std::string::npos);
  CHECK(server.log.str().find("no invocation") != std::string::npos);
  // Too large: refused before it is read.
  const auto huge = client.Post("/statefun", std::string(kMaxRequestBytes + 1, 'x'),
                                "application/octet-stream");
  REQUIRE(huge);
  CHECK(huge->status == 413);
  CHECK(server.log.str().find("413 for POST /statefun from 127.0.0.1: the body is over 16 MiB") !=
        std::string::npos);
  const auto get = client.Get("/statefun");
  REQUIRE(get);
  CHECK(get->status == 404);
  CHECK(server.log.str().find("404 for GET /statefun") != std::string::npos);
}

}  // namespace
}  // namespace fraudsim::testing
