// Remote functions over real HTTP: `fraudsim serve`'s server in process on a free loopback port,
// and runs that reach it through the HTTP transport.
#include <doctest/doctest.h>

#include <httplib.h>

#include "model/pipeline.h"
#include "model/scenario.h"
#include "tests/remote_test_support.h"

namespace fraudsim::testing {
namespace {

std::vector<std::string> settings(std::vector<std::string> extra) {
  std::vector<std::string> all{"run.duration=1min", "traffic.rate=20/s", "fraud.window=30s",
                               "fraud.alert_confirm_share=0.3"};
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

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
}

}  // namespace
}  // namespace fraudsim::testing
