#include "src/comparison_writer.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "src/readable.h"

namespace fraudsim {
namespace {

using Json = nlohmann::ordered_json;

Json estimate_json(const sim::Estimate& e) {
  if (e.n == 0) return nullptr;
  Json j = {{"n", e.n}, {"mean", e.mean}};
  j["low"] = e.half_width ? Json(e.low()) : Json(nullptr);
  j["high"] = e.half_width ? Json(e.high()) : Json(nullptr);
  return j;
}

Json run_json(const RunFigures& run) {
  Json j = {{"seed", run.seed}, {"fingerprint", run.fingerprint}};
  j["job_failure"] = run.job_failure ? Json(*run.job_failure) : Json(nullptr);
  for (std::size_t k = 0; k < kMetricCount; ++k) {
    j[kCompareMetrics[k].key] = run.values[k] ? Json(*run.values[k]) : Json(nullptr);
  }
  return j;
}

Json estimates_json(const std::vector<sim::Estimate>& estimates) {
  Json mean = Json::array(), low = Json::array(), high = Json::array();
  for (const sim::Estimate& e : estimates) {
    mean.push_back(e.mean);
    low.push_back(e.half_width ? Json(e.low()) : Json(nullptr));
    high.push_back(e.half_width ? Json(e.high()) : Json(nullptr));
  }
  return {{"mean", mean}, {"low", low}, {"high", high}};
}

Json series_json(const VariantResult& v, const std::string& first) {
  const sim::Time interval = v.runs.empty() ? 0 : v.runs.front().series_interval;
  Json j = {{"interval", sim::format_duration(interval)},
            {"alerts_per_day", estimates_json(v.daily_alerts)}};
  j["alerts_per_day_difference_from_" + first] =
      v.differences ? estimates_json(v.daily_alert_differences) : Json(nullptr);
  return j;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

// A value of a metric for the table.
std::string shown(MetricKind kind, double value) {
  const double magnitude = std::fabs(value);
  const std::string sign = value < 0 ? "-" : "";
  if (value == 0) return "0";
  switch (kind) {
    case MetricKind::kCount:
      if (magnitude >= 100 || magnitude == std::floor(magnitude)) {
        return sign + grouped(static_cast<std::uint64_t>(std::llround(magnitude)));
      }
      return fmt::format("{:.1f}", value);
    case MetricKind::kPerDay:
      if (magnitude >= 1000) return sign + grouped(static_cast<std::uint64_t>(std::llround(magnitude)));
      return fmt::format("{:.1f}", value);
    case MetricKind::kRatio:
      // Differences of shares can be far below the fourth decimal and still be real.
      return magnitude < 0.001 ? fmt::format("{:.2g}", value) : fmt::format("{:.4f}", value);
    case MetricKind::kLatency:
      return sign + readable(static_cast<sim::Time>(std::llround(magnitude)));
  }
  return {};
}

std::string cell(MetricKind kind, const sim::Estimate& e, bool signed_value) {
  if (e.n == 0) return "n/a";
  std::string text = shown(kind, e.mean);
  if (signed_value && e.mean > 0) text = "+" + text;
  if (e.half_width) text += " ± " + shown(kind, *e.half_width);
  return text;
}

// Display width: "±" and "·" take one column but two or more bytes.
std::size_t width(const std::string& text) {
  std::size_t columns = 0;
  for (unsigned char c : text) columns += (c & 0xC0) != 0x80 ? 1 : 0;
  return columns;
}

std::string pad_left(const std::string& text, std::size_t columns) {
  const std::size_t w = width(text);
  return w >= columns ? text : std::string(columns - w, ' ') + text;
}

}  // namespace

std::string describe_seeds(const std::vector<std::uint64_t>& seeds) {
  std::string out;
  for (std::size_t i = 0; i < seeds.size();) {
    std::size_t j = i;
    while (j + 1 < seeds.size() && seeds[j + 1] == seeds[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += j - i >= 2 ? fmt::format("{}..{}", seeds[i], seeds[j])
                      : fmt::format("{}", seeds[i]);
    if (j - i == 1) out += fmt::format(", {}", seeds[j]);
    i = j + 1;
  }
  return out;
}

std::string comparison_json(const Comparison& c) {
  Json j;
  j["scenario"] = c.scenario;
  j["scenario_path"] = c.scenario_path;
  j["overrides"] = c.overrides;
  j["seeds"] = c.seeds;
  j["confidence"] = c.confidence;
  Json metrics = Json::array();
  for (const MetricDefinition& m : kCompareMetrics) metrics.push_back(m.key);
  j["metrics"] = metrics;
  const std::string first = c.variants.empty() ? std::string() : c.variants.front().variant.name;
  Json variants = Json::array();
  for (const VariantResult& v : c.variants) {
    Json settings = Json::object();
    for (const sim::SettingAssignment& s : v.variant.settings) settings[s.key] = s.value;
    Json statistics = Json::object();
    for (std::size_t k = 0; k < kMetricCount; ++k) {
      statistics[kCompareMetrics[k].key] = estimate_json(v.metrics[k]);
    }
    Json difference = nullptr;
    if (v.differences) {
      difference = Json::object();
      for (std::size_t k = 0; k < kMetricCount; ++k) {
        Json d = estimate_json((*v.differences)[k]);
        if (!d.is_null()) d["significant"] = (*v.differences)[k].excludes_zero();
        difference[kCompareMetrics[k].key] = d;
      }
    }
    Json runs = Json::array();
    for (const RunFigures& run : v.runs) runs.push_back(run_json(run));
    variants.push_back({{"name", v.variant.name},
                        {"settings", settings},
                        {"failed_runs", v.failed_runs},
                        {"statistics", statistics},
                        {"difference_from_" + first, difference},
                        {"series", series_json(v, first)},
                        {"runs", runs}});
  }
  j["variants"] = variants;
  return j.dump(2) + "\n";
}

std::string comparison_csv(const Comparison& c) {
  std::string out =
      "variant,settings,metric,n,mean,low,high,difference_n,difference_mean,difference_low,"
      "difference_high,significant\n";
  for (const VariantResult& v : c.variants) {
    for (std::size_t k = 0; k < kMetricCount; ++k) {
      const sim::Estimate& e = v.metrics[k];
      const auto bound = [](const sim::Estimate& x, double value) {
        return x.half_width ? csv_number(value) : std::string();
      };
      out += fmt::format("{},{},{},{},{},{},{}", v.variant.name, csv_field(v.variant.label()),
                         kCompareMetrics[k].key, e.n, e.n ? csv_number(e.mean) : "",
                         bound(e, e.low()), bound(e, e.high()));
      if (v.differences && (*v.differences)[k].n > 0) {
        const sim::Estimate& d = (*v.differences)[k];
        out += fmt::format(",{},{},{},{},{}\n", d.n, csv_number(d.mean), bound(d, d.low()),
                           bound(d, d.high()), d.half_width ? (d.excludes_zero() ? "yes" : "no") : "");
      } else {
        out += ",,,,,\n";
      }
    }
  }
  return out;
}

void print_comparison(std::ostream& out, const Comparison& c) {
  const std::size_t runs = c.variants.size() * c.seeds.size();
  out << fmt::format("fraudsim compare · {} · seeds {} ({}) · {} variant{} · {} runs\n", c.scenario,
                     describe_seeds(c.seeds), c.seeds.size(), c.variants.size(),
                     c.variants.size() == 1 ? "" : "s", runs);
  for (const VariantResult& v : c.variants) {
    out << fmt::format("  {:<3}{}{}\n", v.variant.name,
                       v.variant.settings.empty() ? "the scenario as it is" : v.variant.label(),
                       v.failed_runs ? fmt::format("   ({} of its runs failed)", v.failed_runs) : "");
  }
  out << "\n";

  // Rows of cells: a metric's values, then (with more than one variant) its differences.
  std::vector<std::vector<std::string>> rows;
  const std::string first = c.variants.empty() ? "" : c.variants.front().variant.name;
  std::vector<std::string> header{""};
  for (const VariantResult& v : c.variants) header.push_back(v.variant.name);
  rows.push_back(header);
  for (std::size_t k = 0; k < kMetricCount; ++k) {
    const MetricDefinition& m = kCompareMetrics[k];
    std::vector<std::string> values{m.label};
    for (const VariantResult& v : c.variants) values.push_back(cell(m.kind, v.metrics[k], false));
    rows.push_back(values);
    if (c.variants.size() < 2) continue;
    std::vector<std::string> differences{"  vs " + first};
    for (const VariantResult& v : c.variants) {
      if (!v.differences) {
        differences.emplace_back();
        continue;
      }
      const sim::Estimate& d = (*v.differences)[k];
      differences.push_back(cell(m.kind, d, true) + (d.excludes_zero() ? " *" : "  "));
    }
    rows.push_back(differences);
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line = row[0] + std::string(widths[0] - width(row[0]), ' ');
    for (std::size_t i = 1; i < row.size(); ++i) line += "   " + pad_left(row[i], widths[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  out << "\n";
  const int percent = static_cast<int>(std::lround(c.confidence * 100));
  if (c.seeds.size() < 2) {
    out << "means of one seed: no interval; run more seeds (--seeds 1..20) to see the spread\n";
  } else {
    out << fmt::format("mean ± half-width of the {}% confidence interval over {} seeds", percent,
                       c.seeds.size());
    if (c.variants.size() >= 2) {
      out << fmt::format(";\ndifferences are paired by seed against {}; * marks one whose interval "
                         "excludes zero",
                         first);
    }
    out << "\n";
  }
}

}  // namespace fraudsim
