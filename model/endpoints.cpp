#include "model/endpoints.h"

#include <fmt/format.h>

#include "model/pipeline_types.h"
#include "model/wire_codec.h"
#include "sim/remote/http_url.h"

namespace fraudsim {

namespace {

constexpr std::string_view kFunctionTypes[] = {kTransactionManagerType, kFraudCountType,
                                               kMerchantType, kModelType};

std::string_view namespace_of(std::string_view type) { return type.substr(0, type.rfind('/')); }

// 2: the exact type; 1: its namespace; 0: no match.
int match(std::string_view pattern, std::string_view function_type) {
  const std::string_view names[] = {function_type,
                                    wire::edition3_type(wire::role_of(function_type))};
  int best = 0;
  for (std::string_view name : names) {
    if (name.empty()) continue;
    if (pattern == name) return 2;
    if (pattern.size() > 2 && pattern.substr(pattern.size() - 2) == "/*" &&
        pattern.substr(0, pattern.size() - 2) == namespace_of(name)) {
      best = 1;
    }
  }
  return best;
}

// StateFun's urlPathTemplate placeholder: {function.name}, the type's name without its namespace.
std::string expand_template(std::string url, std::string_view function_name) {
  constexpr std::string_view kPlaceholder = "{function.name}";
  for (auto at = url.find(kPlaceholder); at != std::string::npos;
       at = url.find(kPlaceholder, at + function_name.size())) {
    url.replace(at, kPlaceholder.size(), function_name);
  }
  return url;
}

}  // namespace

void add_endpoint_rule(std::vector<EndpointRule>& rules, const sim::SettingAssignment& a) {
  const std::string pattern = a.key.substr(kEndpointsSection.size());
  const auto fail = [&](const std::string& why) {
    throw sim::InputError(fmt::format("{}: endpoint '{}' = '{}': {}", a.origin, pattern, a.value, why));
  };
  const auto slash = pattern.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == pattern.size()) {
    fail("the function type must be namespace/name or namespace/*");
  }
  bool matches = false;
  for (std::string_view type : kFunctionTypes) matches = matches || match(pattern, type) > 0;
  if (!matches) {
    fail("it names none of the functions (com.ververica.fn/transaction-manager, "
         "com.ververica.fn/counter, com.ververica.fn/merchant, com.ververica.ds/model, or by "
         "their other names ververica/transaction-manager, ververica/fraud-count, "
         "ververica/merchant, ververica/model; or a namespace/*)");
  }
  std::string url(sim::trim(a.value));
  if (url == "embedded") {
    url.clear();
  } else {
    try {
      sim::remote::parse_http_url(expand_template(url, "name"));
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
  for (EndpointRule& rule : rules) {
    if (rule.pattern == pattern) {
      rule = EndpointRule{pattern, url, a.origin};
      return;
    }
  }
  rules.push_back(EndpointRule{pattern, url, a.origin});
}

const EndpointRule* endpoint_rule_for(const std::vector<EndpointRule>& rules,
                                      std::string_view function_type) {
  const EndpointRule* best = nullptr;
  int best_match = 0;
  for (const EndpointRule& rule : rules) {
    const int m = match(rule.pattern, function_type);
    if (m > best_match) {
      best = &rule;
      best_match = m;
    }
  }
  return best == nullptr || best->url.empty() ? nullptr : best;
}

std::optional<std::string> endpoint_for(const std::vector<EndpointRule>& rules,
                                        std::string_view function_type) {
  const EndpointRule* best = endpoint_rule_for(rules, function_type);
  if (best == nullptr) return std::nullopt;
  // The name as the endpoint knows it: the StateFun 3 edition's.
  const std::string_view wire = wire::edition3_type(wire::role_of(function_type));
  const std::string_view name = wire.empty() ? function_type : wire;
  return expand_template(best->url, name.substr(name.rfind('/') + 1));
}

}  // namespace fraudsim
