#include "src/golden.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "sim/settings.h"

namespace fraudsim {
namespace {

using Json = nlohmann::ordered_json;

// Leaves of a JSON object by dotted path, in document order (an empty object has none).
void flatten(const Json& value, const std::string& prefix, std::vector<std::pair<std::string, const Json*>>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) flatten(child, prefix.empty() ? key : prefix + "." + key, out);
  } else {
    out.emplace_back(prefix, &value);
  }
}

bool is_fingerprint(const std::string& key) {
  return key == "fingerprint" || key.rfind("fingerprints.", 0) == 0;
}

// A setting in force: a change of one says why the results moved.
bool is_setting(const std::string& key) { return key.rfind("settings.", 0) == 0; }

}  // namespace

std::vector<ValueChange> compare_summaries(const Json& before, const Json& after) {
  std::vector<std::pair<std::string, const Json*>> old_values, new_values;
  flatten(before, "", old_values);
  flatten(after, "", new_values);
  const auto find = [](const auto& values, const std::string& key) -> const Json* {
    for (const auto& [k, v] : values) {
      if (k == key) return v;
    }
    return nullptr;
  };
  std::vector<ValueChange> fingerprints, settings, others;
  const auto note = [&](const std::string& key, const Json* old_value, const Json* new_value) {
    ValueChange change{key, old_value ? old_value->dump() : "(none)", new_value ? new_value->dump() : "(none)"};
    (is_fingerprint(key) ? fingerprints : is_setting(key) ? settings : others).push_back(std::move(change));
  };
  for (const auto& [key, value] : new_values) {
    const Json* old_value = find(old_values, key);
    if (old_value == nullptr || *old_value != *value) note(key, old_value, value);
  }
  for (const auto& [key, value] : old_values) {
    if (find(new_values, key) == nullptr) note(key, value, nullptr);
  }
  fingerprints.insert(fingerprints.end(), settings.begin(), settings.end());
  fingerprints.insert(fingerprints.end(), others.begin(), others.end());
  return fingerprints;
}

std::string describe_changes(const std::vector<ValueChange>& changes, std::size_t shown) {
  std::string out;
  std::size_t values = 0, hidden = 0;
  for (const ValueChange& c : changes) {
    const bool always = is_fingerprint(c.key) || is_setting(c.key);
    if (!always && values == shown) {
      ++hidden;
      continue;
    }
    if (!always) ++values;
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {} → {}", c.key, c.before, c.after);
  }
  if (hidden > 0) out += fmt::format("; and {} more", hidden);
  return out;
}

std::optional<Json> read_golden(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    throw sim::InputError(fmt::format("{}: cannot read the golden result", path.string()));
  }
  std::stringstream text;
  text << file.rdbuf();
  Json golden = Json::parse(text.str(), nullptr, false);
  if (golden.is_discarded()) {
    throw sim::InputError(fmt::format("{}: not a golden result: not valid JSON", path.string()));
  }
  if (!golden.is_object() || !golden.contains("fingerprint") || !golden["fingerprint"].is_string()) {
    throw sim::InputError(fmt::format("{}: not a golden result: it has no fingerprint", path.string()));
  }
  return golden;
}

void write_golden(const std::filesystem::path& path, const std::string& summary_json) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  const std::filesystem::path temporary =
      path.parent_path() / fmt::format(".{}.{}", path.filename().string(), ::getpid());
  {
    std::ofstream file(temporary, std::ios::binary);
    file << summary_json;
    if (!file.flush()) throw std::runtime_error(fmt::format("cannot write {}", temporary.string()));
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace fraudsim
