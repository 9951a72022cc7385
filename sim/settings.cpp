#include "sim/settings.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>
#include <fmt/format.h>

namespace sim {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

namespace {

// Where each key of an INI file stands, and the first line program_options would reject. The file
// is parsed by program_options; this scan only finds line numbers for messages.
struct LineIndex {
  std::map<std::string, std::vector<int>> lines_of_key;
  int bad_line = 0;
  std::string bad_text;
  std::string bad_reason;
};

LineIndex index_lines(const std::string& content) {
  LineIndex index;
  std::istringstream in(content);
  std::string raw;
  std::string section;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::string_view line = raw;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        if (!index.bad_line) index.bad_line = number, index.bad_text = raw,
                             index.bad_reason = "a section header must look like [name]";
        continue;
      }
      const std::string_view inside = line.substr(1, line.size() - 2);
      if (trim(inside) != inside) {
        if (!index.bad_line) index.bad_line = number, index.bad_text = raw,
                             index.bad_reason = "a section name has no spaces around it: [name]";
        continue;
      }
      section = std::string(inside);
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty()) {
      if (!index.bad_line) index.bad_line = number, index.bad_text = raw,
                           index.bad_reason = "expected 'key = value', a [section] or a # comment";
      continue;
    }
    const std::string name(trim(line.substr(0, eq)));
    if (section.empty()) {
      if (!index.bad_line) index.bad_line = number, index.bad_text = raw,
                           index.bad_reason = "key '" + name + "' is outside any [section]";
      continue;
    }
    index.lines_of_key[section + "." + name].push_back(number);
  }
  return index;
}

double parse_number(std::string_view text, const char* what) {
  const std::string s(trim(text));
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) {
    throw ValueError(fmt::format("expected {}", what));
  }
  return value;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<SettingAssignment> read_settings_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(fmt::format("{}: is a directory, not a scenario file", path));
  }
  std::ifstream file(path);
  if (!file) throw InputError(fmt::format("{}: cannot open the scenario file", path));
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string content = buffer.str();

  const LineIndex index = index_lines(content);
  if (index.bad_line) {
    throw InputError(fmt::format("{}:{}: '{}': {}", path, index.bad_line,
                                   std::string(trim(index.bad_text)), index.bad_reason));
  }
  for (const auto& [key, lines] : index.lines_of_key) {
    if (lines.size() > 1) {
      throw InputError(fmt::format("{}:{}: key '{}' is given again (first on line {})", path,
                                     lines[1], key, lines[0]));
    }
  }

  namespace po = boost::program_options;
  std::istringstream in(content);
  po::parsed_options parsed(nullptr);
  try {
    parsed = po::parse_config_file(in, po::options_description(), /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    throw InputError(fmt::format("{}: {}", path, e.what()));
  }
  std::vector<SettingAssignment> out;
  for (const po::option& option : parsed.options) {
    const auto lines = index.lines_of_key.find(option.string_key);
    const int line = lines == index.lines_of_key.end() ? 0 : lines->second.front();
    out.push_back(SettingAssignment{option.string_key,
                                    option.value.empty() ? std::string() : option.value.front(),
                                    fmt::format("{}:{}", path, line)});
  }
  return out;
}

SettingAssignment parse_setting_override(std::string_view text) {
  const auto eq = text.find('=');
  const std::string_view key = eq == std::string_view::npos ? text : trim(text.substr(0, eq));
  if (eq == std::string_view::npos || key.empty() || key.find('.') == std::string_view::npos ||
      key.front() == '.' || key.back() == '.') {
    throw InputError(fmt::format(
        "--set '{}': expected section.key=value, e.g. --set fraud.window=7d", std::string(text)));
  }
  return SettingAssignment{std::string(key), std::string(trim(text.substr(eq + 1))),
                           fmt::format("--set {}", std::string(text))};
}

Time parse_duration_value(std::string_view text) {
  std::string error;
  auto value = parse_duration(trim(text), &error);
  if (!value) throw ValueError(error);
  return *value;
}

double parse_rate(std::string_view text) {
  const std::string_view t = trim(text);
  const auto slash = t.find('/');
  if (slash == std::string_view::npos) {
    throw ValueError("expected a rate like 100/s, 20/min, 2/h or 1.5/d");
  }
  const double count = parse_number(t.substr(0, slash), "a rate like 100/s, 20/min, 2/h or 1.5/d");
  if (count < 0) throw ValueError("a rate must not be negative");
  const std::string_view unit = t.substr(slash + 1);
  double seconds = 0;
  if (unit == "s") seconds = 1;
  else if (unit == "min") seconds = 60;
  else if (unit == "h") seconds = 3600;
  else if (unit == "d") seconds = 86400;
  else throw ValueError(fmt::format("unknown rate unit '/{}'; use /s, /min, /h or /d", std::string(unit)));
  return count / seconds;
}

std::string format_rate(double per_second) { return fmt::format("{:g}/s", per_second); }

double parse_probability(std::string_view text) {
  const double p = parse_number(text, "a probability between 0 and 1");
  if (p < 0 || p > 1) throw ValueError("a probability must lie between 0 and 1");
  return p;
}

double parse_real(std::string_view text, double min, double max) {
  const double value = parse_number(text, "a number");
  if (value < min || value > max) {
    throw ValueError(fmt::format("must lie between {:g} and {:g}", min, max));
  }
  return value;
}

std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
  const std::string s(trim(text));
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec == std::errc::invalid_argument || end != s.data() + s.size()) {
    throw ValueError("expected a whole number");
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    throw ValueError(fmt::format("must lie between {} and {}", min, max));
  }
  return value;
}

bool parse_bool(std::string_view text) {
  const std::string_view t = trim(text);
  if (t == "true") return true;
  if (t == "false") return false;
  throw ValueError("expected true or false");
}

std::string parse_choice(std::string_view text, const std::vector<std::string>& choices) {
  const std::string t(trim(text));
  for (const std::string& c : choices) {
    if (c == t) return c;
  }
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  throw ValueError(fmt::format("expected one of: {}", list));
}

std::string closest_key(std::string_view unknown, const std::vector<std::string>& keys) {
  std::string best;
  std::size_t best_distance = 4;  // farther than this is no suggestion
  for (const std::string& key : keys) {
    const std::size_t d = edit_distance(unknown, key);
    if (d < best_distance) best_distance = d, best = key;
  }
  return best;
}

}  // namespace sim
