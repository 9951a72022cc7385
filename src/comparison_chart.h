#pragma once
// compare.html: a page that needs nothing but a browser (inline SVG, no scripts). Alerts per day
// over virtual time for each variant, the mean over seeds with its confidence band; and precision
// and recall per variant as bars with their intervals.
#include <string>

#include "src/comparison.h"

namespace fraudsim {

std::string comparison_html(const Comparison& comparison);

}  // namespace fraudsim
