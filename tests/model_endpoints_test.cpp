// Which functions are remote and where: [endpoints] rules, --set, and a StateFun module.yaml.
#include <doctest/doctest.h>

#include "model/endpoints.h"
#include "model/pipeline_types.h"
#include "model/scenario.h"
#include "model/statefun_module.h"
#include "tests/test_support.h"

namespace fraudsim::testing {
namespace {

std::vector<EndpointRule> rules(const std::vector<std::pair<std::string, std::string>>& lines) {
  std::vector<EndpointRule> out;
  for (const auto& [pattern, url] : lines) {
    add_endpoint_rule(out, sim::SettingAssignment{"endpoints." + pattern, url, "test:1"});
  }
  return out;
}

TEST_CASE("endpoints: a pattern names a function by either edition's name; exact beats namespace") {
  const auto r = rules({{"com.ververica.fn/*", "http://a:1/all"},
                        {"com.ververica.fn/counter", "http://b:2/counter"},
                        {"ververica/model", "http://c:3/model"}});
  CHECK(endpoint_for(r, kTransactionManagerType) == "http://a:1/all");
  CHECK(endpoint_for(r, kMerchantType) == "http://a:1/all");
  CHECK(endpoint_for(r, kFraudCountType) == "http://b:2/counter");
  CHECK(endpoint_for(r, kModelType) == "http://c:3/model");
  CHECK_FALSE(endpoint_for(rules({}), kModelType));
}

TEST_CASE("endpoints: a later rule replaces an earlier one, and 'embedded' undoes it") {
  auto r = rules({{"com.ververica.ds/model", "http://a:1/x"}, {"com.ververica.ds/model", "http://b:1/x"}});
  CHECK(r.size() == 1);
  CHECK(endpoint_for(r, kModelType) == "http://b:1/x");
  add_endpoint_rule(r, sim::SettingAssignment{"endpoints.com.ververica.ds/model", "embedded", "--set"});
  CHECK_FALSE(endpoint_for(r, kModelType));
}

TEST_CASE("endpoints: {function.name} in a URL becomes the function's name") {
  const auto r = rules({{"com.ververica.fn/*", "http://h:8000/fn/{function.name}"}});
  CHECK(endpoint_for(r, kFraudCountType) == "http://h:8000/fn/counter");
  CHECK(endpoint_for(r, kTransactionManagerType) == "http://h:8000/fn/transaction-manager");
}

TEST_CASE("endpoints: a bad pattern or URL is an error naming where, which and what") {
  const auto error_of = [](const std::string& pattern, const std::string& url) {
    try {
      rules({{pattern, url}});
    } catch (const sim::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("com.ververica.fn/nothing", "http://h/x").find("names none of the functions") != std::string::npos);
  CHECK(error_of("model", "http://h/x").find("namespace/name") != std::string::npos);
  CHECK(error_of("com.ververica.ds/model", "https://h/x").find("https is not supported") != std::string::npos);
  CHECK(error_of("com.ververica.ds/model", "http://h:99999/x").find("port") != std::string::npos);
  CHECK(error_of("com.ververica.ds/model", "ftp://h/x").find("test:1: endpoint 'com.ververica.ds/model' = 'ftp://h/x'") != std::string::npos);
}

TEST_CASE("endpoints: a scenario's [endpoints] section and --set both set them") {
  ScratchDirectory dir;
  const std::string path = dir.write("s.ini", "[endpoints]\ncom.ververica.ds/* = http://127.0.0.1:8000/statefun\n");
  const Scenario from_file = load_scenario(path, {});
  CHECK(endpoint_for(from_file.endpoints, kModelType) == "http://127.0.0.1:8000/statefun");
  CHECK(from_file.effective.at("endpoints.com.ververica.ds/*") == "http://127.0.0.1:8000/statefun");
  const Scenario overridden = load_scenario(path, {"endpoints.com.ververica.ds/*=embedded"});
  CHECK_FALSE(endpoint_for(overridden.endpoints, kModelType));
}

TEST_CASE("statefun module: the shipped example points all four functions at one endpoint") {
  const auto endpoints = read_module_endpoints(source_path("examples/module.yaml"));
  REQUIRE(endpoints.size() == 2);
  CHECK(endpoints[0].key == "endpoints.com.ververica.fn/*");
  CHECK(endpoints[0].value == "http://fraudsim:8000/statefun");
  CHECK(endpoints[0].origin.find("module.yaml:9") != std::string::npos);
  CHECK(endpoints[1].key == "endpoints.com.ververica.ds/*");
}

TEST_CASE("statefun module: its endpoints come after the scenario's, and --set comes last") {
  ScratchDirectory dir;
  const std::string scenario = dir.write("s.ini", "[endpoints]\ncom.ververica.ds/model = http://127.0.0.1:1/file\n");
  const std::string module = dir.write(
      "module.yaml",
      "kind: io.statefun.endpoints.v2/http\nspec:\n  functions: com.ververica.ds/model\n"
      "  urlPathTemplate: http://127.0.0.1:2/module\n---\nkind: io.statefun.kafka.v1/egress\n"
      "spec:\n  id: a/b\n");
  CHECK(endpoint_for(load_scenario(scenario, {}, std::nullopt, module).endpoints, kModelType) ==
        "http://127.0.0.1:2/module");
  CHECK(endpoint_for(load_scenario(scenario, {"endpoints.com.ververica.ds/model=http://127.0.0.1:3/set"},
                                   std::nullopt, module)
                         .endpoints,
                     kModelType) == "http://127.0.0.1:3/set");
}

TEST_CASE("statefun module: bad files are errors naming the file and line") {
  ScratchDirectory dir;
  const auto error_of = [&](const std::string& content) {
    try {
      read_module_endpoints(dir.write("m.yaml", content));
    } catch (const sim::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("kind: io.statefun.endpoints.v2/http\nspec:\n  functions: [a\n").find("m.yaml:4: not valid YAML") != std::string::npos);
  CHECK(error_of("kind: io.statefun.endpoints.v2/http\nspec:\n  functions: a/*\n").find("m.yaml:3: an io.statefun.endpoints.v2/http endpoint needs spec.urlPathTemplate") != std::string::npos);
  CHECK(error_of("kind: io.statefun.kafka.v1/egress\nspec:\n  id: a/b\n").find("no endpoint of kind") != std::string::npos);
  CHECK_THROWS_AS(read_module_endpoints((dir / "missing.yaml").string()), sim::InputError);
}

}  // namespace
}  // namespace fraudsim::testing
