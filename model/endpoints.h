#pragma once
// Which of the pipeline's functions are remote, and where: the scenario's [endpoints] section.
//
//   [endpoints]
//   com.ververica.ds/model = http://127.0.0.1:8000/statefun   # one function type
//   com.ververica.fn/*     = http://127.0.0.1:8000/statefun   # every type of a namespace
//
// A pattern names a function by either edition's name (ververica/model or com.ververica.ds/model);
// an exact name wins over a namespace pattern. The value "embedded" undoes an endpoint (e.g. with
// --set). A pattern that matches none of the four functions is an error. A URL may hold StateFun's
// {function.name} placeholder (the edition 3 name without its namespace, e.g. "counter").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/settings.h"

namespace fraudsim {

struct EndpointRule {
  std::string pattern;  // "namespace/type" or "namespace/*"
  std::string url;      // http://host:port/path, or "" for embedded
  std::string origin;   // where it was set, for errors
};

inline constexpr std::string_view kEndpointsSection = "endpoints.";

// Reads one "endpoints.PATTERN = URL" assignment; throws sim::InputError naming its origin.
// A later rule for the same pattern replaces an earlier one.
void add_endpoint_rule(std::vector<EndpointRule>& rules, const sim::SettingAssignment& assignment);

// The rule that puts `function_type` (a runtime type name) behind an endpoint, or null when it is
// embedded.
const EndpointRule* endpoint_rule_for(const std::vector<EndpointRule>& rules,
                                      std::string_view function_type);

// The URL serving `function_type` (a runtime type name), or nothing when it is embedded.
std::optional<std::string> endpoint_for(const std::vector<EndpointRule>& rules,
                                        std::string_view function_type);

}  // namespace fraudsim
