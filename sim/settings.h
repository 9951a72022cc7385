#pragma once
// Scenario settings: INI files (sections are components, "[fraud]\nwindow = 30d" is the key
// "fraud.window") read with Boost.Program_options, command-line overrides ("fraud.window=7d"), and
// a schema of every key with its default, unit and help.
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace sim {

// Bad input from the user (a scenario, an override, a data file). The message names the file,
// line, key and value, so the CLI can print it as it is.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by value parsers with the reason alone; the loader adds where and which key.
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One "key = value" from a file or from --set.
struct SettingAssignment {
  std::string key;  // "section.name"
  std::string value;
  std::string origin;  // "path:line" or "--set"
};

// Reads every assignment of an INI file, in file order. Throws InputError for a missing file, a
// line that is not "[section]", "key = value" or a comment, a key outside any section, or a key
// given twice.
std::vector<SettingAssignment> read_settings_file(const std::string& path);
// Parses "section.key=value" as given to --set.
SettingAssignment parse_setting_override(std::string_view text);

// Without leading and trailing blanks (spaces, tabs, carriage returns).
std::string_view trim(std::string_view text);

// Value parsers; each throws ValueError saying what was expected.
Time parse_duration_value(std::string_view text);
// A rate: "<number>/<unit>", e.g. 100/s, 2.5/d; returns events per second.
double parse_rate(std::string_view text);
double parse_probability(std::string_view text);
double parse_real(std::string_view text, double min, double max);
std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max);
bool parse_bool(std::string_view text);
std::string parse_choice(std::string_view text, const std::vector<std::string>& choices);
std::string format_rate(double per_second);

// The closest key to an unknown one, or "" when nothing is close.
std::string closest_key(std::string_view unknown, const std::vector<std::string>& keys);

template <class Target>
class SettingsSchema {
 public:
  using Apply = std::function<void(Target&, std::string_view)>;
  struct Key {
    std::string name;
    std::string default_value;
    std::string help;
    Apply apply;
  };

  void add(std::string name, std::string default_value, std::string help, Apply apply) {
    keys_.push_back(Key{std::move(name), std::move(default_value), std::move(help), std::move(apply)});
  }
  const std::vector<Key>& keys() const { return keys_; }

  // Defaults first, then each assignment in order (a later one wins). `effective` receives the
  // value text of every key after all assignments.
  Target build(const std::vector<SettingAssignment>& assignments,
               std::map<std::string, std::string>* effective) const {
    Target target{};
    std::map<std::string, std::string> values;
    for (const Key& key : keys_) apply(target, key, key.default_value, "default of " + key.name);
    for (const SettingAssignment& a : assignments) {
      const Key* key = find(a.key);
      if (key == nullptr) {
        std::vector<std::string> names;
        for (const Key& k : keys_) names.push_back(k.name);
        const std::string near = closest_key(a.key, names);
        throw InputError(a.origin + ": unknown key '" + a.key + "' (value '" + a.value + "')" +
                           (near.empty() ? std::string() : "; did you mean '" + near + "'?"));
      }
      apply(target, *key, a.value, a.origin);
      values[key->name] = a.value;
    }
    if (effective) {
      for (const Key& key : keys_) {
        auto it = values.find(key.name);
        (*effective)[key.name] = it == values.end() ? key.default_value : it->second;
      }
    }
    return target;
  }

 private:
  const Key* find(std::string_view name) const {
    for (const Key& key : keys_) {
      if (key.name == name) return &key;
    }
    return nullptr;
  }
  static void apply(Target& target, const Key& key, const std::string& value,
                    const std::string& origin) {
    try {
      key.apply(target, value);
    } catch (const ValueError& e) {
      throw InputError(origin + ": " + key.name + " = '" + value + "': " + e.what());
    }
  }

  std::vector<Key> keys_;
};

}  // namespace sim
