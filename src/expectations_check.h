#pragma once
// Checks a scenario's [expect] bounds against the summary of its run.
#include <string>
#include <vector>

#include "model/scenario.h"

namespace fraudsim {

// Before a run: throws sim::InputError naming an expectation whose key is not a value of the
// summary (with the closest key that is).
void check_expectation_keys(const Scenario& scenario);

// After a run: one line for each expectation its summary (summary.json's text) breaks, e.g.
// "expect alerts.total = 900..1100 (scenarios/x.ini:40): it was 1234".
std::vector<std::string> broken_expectations(const Scenario& scenario, const std::string& summary_json);

}  // namespace fraudsim
