#pragma once
// Where two runs of the same code split: the first event whose trace line differs, found without
// keeping either trace (the first run keeps a hash per event, the second stops at the split, the
// first runs again to the split for its side of the context).
#include <optional>

#include "model/scenario.h"
#include "src/trace_diff.h"

namespace fraudsim {

// None when both runs process the same events. Scenarios with endpoints run against fraudsim's
// own functions, in process.
std::optional<TraceDivergence> first_divergence_between(const Scenario& before, const Scenario& after);

}  // namespace fraudsim
