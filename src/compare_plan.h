#pragma once
// What `fraudsim compare` runs: the seeds (--seeds) and the variants, every combination of the
// varied settings (--vary key=v1,v2,...). Every variant runs every seed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/settings.h"

namespace fraudsim {

// "1..20", "5,9,12", or a mix ("1..5,9"): the seeds in the order given. Throws sim::InputError
// naming the text for an empty list, a bad number, a range that runs backwards, a seed given twice,
// or more than kMaxSeeds seeds.
inline constexpr std::size_t kMaxSeeds = 10000;
std::vector<std::uint64_t> parse_seed_list(std::string_view text);

// One --vary: a key and the values it takes, in order. Values are separated by commas outside
// parentheses, so "merchant.latency=fixed(1ms),uniform(0ms, 5000ms)" has two.
struct VariedSetting {
  std::string key;
  std::vector<std::string> values;
  std::string origin;  // "--vary ..." as typed
};
// Throws sim::InputError naming the text for a missing key or '=', an empty list or an empty value.
VariedSetting parse_varied_setting(std::string_view text);

struct Variant {
  std::string name;  // "A", "B", ..., "Z", "AA", ...
  // One per varied setting, in --vary order; origin names the --vary it came from.
  std::vector<sim::SettingAssignment> settings;
  // "fraud.window=7d model.threshold=70"
  std::string label() const;
};

// Every combination, the first --vary varying slowest; the first variant takes every first value.
// Throws sim::InputError for a key varied twice, for seeds varied (run.seed: use --seeds), or for
// more than kMaxVariants combinations.
inline constexpr std::size_t kMaxVariants = 1000;
std::vector<Variant> make_variants(const std::vector<VariedSetting>& varied);

}  // namespace fraudsim
