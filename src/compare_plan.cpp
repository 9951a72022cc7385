#include "src/compare_plan.h"

#include <charconv>
#include <set>

#include <fmt/format.h>

namespace fraudsim {
namespace {

std::uint64_t parse_seed(std::string_view item, std::string_view whole) {
  std::uint64_t value = 0;
  const char* end = item.data() + item.size();
  const auto [ptr, error] = std::from_chars(item.data(), end, value);
  if (item.empty() || error != std::errc() || ptr != end || value > INT64_MAX) {
    throw sim::InputError(fmt::format("--seeds '{}': '{}' is not a seed (a whole number from 0 to {})",
                                      whole, item, INT64_MAX));
  }
  return value;
}

// Splits on commas outside parentheses.
std::vector<std::string_view> split_top_level(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::string variant_name(std::size_t index) {
  std::string name;
  for (std::size_t i = index + 1; i > 0; i = (i - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (i - 1) % 26));
  }
  return name;
}

}  // namespace

std::vector<std::uint64_t> parse_seed_list(std::string_view text) {
  const std::string_view whole = sim::trim(text);
  if (whole.empty()) throw sim::InputError("--seeds: the list is empty; e.g. --seeds 1..20 or --seeds 5,9,12");
  std::vector<std::uint64_t> seeds;
  std::set<std::uint64_t> seen;
  const auto add = [&](std::uint64_t seed) {
    if (!seen.insert(seed).second) {
      throw sim::InputError(fmt::format("--seeds '{}': seed {} is given twice", whole, seed));
    }
    if (seeds.size() == kMaxSeeds) {
      throw sim::InputError(fmt::format("--seeds '{}': more than {} seeds", whole, kMaxSeeds));
    }
    seeds.push_back(seed);
  };
  for (std::string_view item : split_top_level(whole)) {
    item = sim::trim(item);
    const std::size_t dots = item.find("..");
    if (dots == std::string_view::npos) {
      add(parse_seed(item, whole));
      continue;
    }
    const std::uint64_t first = parse_seed(sim::trim(item.substr(0, dots)), whole);
    const std::uint64_t last = parse_seed(sim::trim(item.substr(dots + 2)), whole);
    if (last < first) {
      throw sim::InputError(fmt::format("--seeds '{}': the range '{}' runs backwards", whole, item));
    }
    if (last - first >= kMaxSeeds) {
      throw sim::InputError(fmt::format("--seeds '{}': more than {} seeds", whole, kMaxSeeds));
    }
    for (std::uint64_t seed = first;; ++seed) {
      add(seed);
      if (seed == last) break;
    }
  }
  return seeds;
}

VariedSetting parse_varied_setting(std::string_view text) {
  const std::string origin = fmt::format("--vary {}", text);
  const std::size_t eq = text.find('=');
  const std::string_view key = sim::trim(text.substr(0, eq));
  if (eq == std::string_view::npos || key.empty() || key.find('.') == std::string_view::npos) {
    throw sim::InputError(fmt::format(
        "{}: expected section.key=value,value,..., e.g. --vary fraud.window=7d,30d", origin));
  }
  VariedSetting varied{std::string(key), {}, origin};
  const std::string_view list = sim::trim(text.substr(eq + 1));
  if (list.empty()) throw sim::InputError(fmt::format("{}: no values to vary {} over", origin, key));
  for (std::string_view value : split_top_level(list)) {
    value = sim::trim(value);
    if (value.empty()) {
      throw sim::InputError(fmt::format("{}: an empty value in the list of {}", origin, key));
    }
    varied.values.emplace_back(value);
  }
  return varied;
}

std::string Variant::label() const {
  std::string out;
  for (const sim::SettingAssignment& s : settings) {
    if (!out.empty()) out += ' ';
    out += s.key + '=' + s.value;
  }
  return out;
}

std::vector<Variant> make_variants(const std::vector<VariedSetting>& varied) {
  std::set<std::string> keys;
  for (const VariedSetting& v : varied) {
    if (v.key == "run.seed") {
      throw sim::InputError(fmt::format("{}: seeds are not varied like settings; use --seeds", v.origin));
    }
    if (!keys.insert(v.key).second) {
      throw sim::InputError(fmt::format("{}: {} is varied twice; give all its values in one --vary",
                                        v.origin, v.key));
    }
  }
  std::size_t combinations = 1;
  for (const VariedSetting& v : varied) {
    combinations *= v.values.size();
    if (combinations > kMaxVariants) {
      throw sim::InputError(fmt::format("{}: more than {} combinations of the varied settings",
                                        v.origin, kMaxVariants));
    }
  }
  std::vector<Variant> variants{Variant{}};
  for (const VariedSetting& v : varied) {
    std::vector<Variant> next;
    for (const Variant& base : variants) {
      for (const std::string& value : v.values) {
        Variant variant = base;
        variant.settings.push_back(sim::SettingAssignment{v.key, value, v.origin});
        next.push_back(std::move(variant));
      }
    }
    variants = std::move(next);
  }
  for (std::size_t i = 0; i < variants.size(); ++i) variants[i].name = variant_name(i);
  return variants;
}

}  // namespace fraudsim
