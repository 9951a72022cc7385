#pragma once
// Golden results: for each scenario, at its pinned seed, the deterministic summary (summary.json,
// with the fingerprints) that fraudsim produced and a person reviewed, kept under results/golden/
// as <scenario>.json. A check reruns the scenario and compares.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fraudsim {

// One summary value that differs between two summaries, by its dotted path ("alerts.total").
struct ValueChange {
  std::string key;
  std::string before;  // as JSON text; "(none)" when absent
  std::string after;
};

// Every value that differs, in the order of the keys in `after` (then keys only in `before`); the
// fingerprints come first, then the settings in force (which say why the rest moved).
std::vector<ValueChange> compare_summaries(const nlohmann::ordered_json& before,
                                           const nlohmann::ordered_json& after);

// "fingerprint 1234… → 5678…; alerts.total 39951 → 39900; ...; and 12 more": the fingerprints
// and settings, and at most `shown` other values.
std::string describe_changes(const std::vector<ValueChange>& changes, std::size_t shown = 4);

// Reads a golden file; none when it does not exist. Throws sim::InputError naming the file when it
// is not a golden result (not JSON, or no fingerprint).
std::optional<nlohmann::ordered_json> read_golden(const std::filesystem::path& path);

// Writes a golden file whole (a temporary name, then renamed).
void write_golden(const std::filesystem::path& path, const std::string& summary_json);

}  // namespace fraudsim
