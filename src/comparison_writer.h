#pragma once
// The results of `fraudsim compare`: compare.json (every statistic and every run's figures),
// compare.csv (one row per variant and metric) and the side-by-side table for the terminal. All
// three are deterministic: the same comparison gives the same bytes, whatever the thread count.
#include <iosfwd>
#include <string>

#include "src/comparison.h"

namespace fraudsim {

std::string comparison_json(const Comparison& comparison);
std::string comparison_csv(const Comparison& comparison);
void print_comparison(std::ostream& out, const Comparison& comparison);

// "1..20", "5, 9, 12", "1..5, 9": the seeds with runs of consecutive ones shortened.
std::string describe_seeds(const std::vector<std::uint64_t>& seeds);

}  // namespace fraudsim
