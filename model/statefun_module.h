#pragma once
// The endpoints of a StateFun module.yaml (`fraudsim run --module FILE`): every document of kind
// io.statefun.endpoints.v2/http gives an [endpoints] rule, its `functions` pattern to its
// `urlPathTemplate`. Other kinds (ingresses, egresses) are not fraudsim's concern and are skipped;
// an endpoint's transport, timeouts and batch size come from the scenario's settings instead.
#include <string>
#include <vector>

#include "sim/settings.h"

namespace fraudsim {

// As "endpoints.PATTERN = URL" assignments whose origin is "FILE:LINE". Throws sim::InputError
// for an unreadable file, bad YAML, or an endpoint without its functions or URL.
std::vector<sim::SettingAssignment> read_module_endpoints(const std::string& path);

}  // namespace fraudsim
