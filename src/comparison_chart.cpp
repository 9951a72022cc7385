#include "src/comparison_chart.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "src/comparison_writer.h"

namespace fraudsim {
namespace {

constexpr std::array<const char*, 8> kColours{"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                              "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

const char* colour(std::size_t variant) { return kColours[variant % kColours.size()]; }

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A step of 1, 2 or 5 times a power of ten that cuts [0, top] into at most about six parts.
double tick_step(double top) {
  if (top <= 0) return 1;
  const double rough = top / 6;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * power >= rough) return factor * power;
  }
  return 10 * power;
}

std::string tick_label(double value) {
  if (std::fabs(value) < 1e-9) return "0";  // not "-0" from rounding
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{:g}", value);
}

// The plot area and its scales: x from 0 to x_max, y from y_min (zero or below) to y_max.
struct Frame {
  double left = 70, top = 20, width = 820, height = 300;
  double x_max = 1, y_min = 0, y_max = 1;
  double x(double value) const { return left + width * value / x_max; }
  double y(double value) const { return top + height * (y_max - value) / (y_max - y_min); }
};

std::string axes(const Frame& f, const std::string& x_title, const std::string& y_title) {
  std::string svg;
  const double y_step = tick_step(f.y_max - f.y_min);
  for (double k = std::ceil(f.y_min / y_step); k * y_step <= f.y_max + y_step * 1e-9; ++k) {
    const double v = k * y_step;
    svg += fmt::format(
        R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#ddd"/>)"
        R"(<text x="{:.1f}" y="{:.1f}" text-anchor="end" font-size="11">{}</text>)",
        f.left, f.y(v), f.left + f.width, f.y(v), f.left - 6, f.y(v) + 4, tick_label(v));
  }
  if (!x_title.empty()) {
    const double x_step = tick_step(f.x_max);
    for (double v = 0; v <= f.x_max + x_step * 1e-9; v += x_step) {
      svg += fmt::format(
          R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#999"/>)"
          R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="11">{}</text>)",
          f.x(v), f.top + f.height, f.x(v), f.top + f.height + 4, f.x(v), f.top + f.height + 17,
          tick_label(v));
    }
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="12">{}</text>)",
                       f.left + f.width / 2, f.top + f.height + 34, escaped(x_title));
  }
  svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#333"/>)"
                     R"(<line x1="{0:.1f}" y1="{3:.1f}" x2="{4:.1f}" y2="{3:.1f}" stroke="#333"/>)",
                     f.left, f.top, f.top + f.height, f.y(0), f.left + f.width);
  svg += fmt::format(
      R"svg(<text x="14" y="{:.1f}" transform="rotate(-90 14 {:.1f})" text-anchor="middle" font-size="12">{}</text>)svg",
      f.top + f.height / 2, f.top + f.height / 2, escaped(y_title));
  return svg;
}

// A coloured square and the settings of each variant from `first` on.
std::string legend(const Comparison& c, double x, double y, std::size_t first = 0) {
  std::string svg;
  for (std::size_t v = first; v < c.variants.size(); ++v) {
    const VariantResult& r = c.variants[v];
    const std::string text = r.variant.name + " · " +
                             (r.variant.settings.empty() ? "the scenario as it is" : r.variant.label());
    const double row_y = y + 16.0 * static_cast<double>(v - first);
    svg += fmt::format(
        R"(<rect x="{:.1f}" y="{:.1f}" width="12" height="12" fill="{}"/>)"
        R"(<text x="{:.1f}" y="{:.1f}" font-size="12">{}</text>)",
        x, row_y, colour(v), x + 18, row_y + 10, escaped(text));
  }
  return svg;
}

// Alerts per day over virtual time, one line and band per variant: the estimates `select` gives
// (variants for which it gives none are left out).
std::string daily_chart(const Comparison& c,
                        const std::function<const std::vector<sim::Estimate>&(const VariantResult&)>& select,
                        const std::string& y_title) {
  Frame f;
  f.x_max = 0;
  f.y_max = 0;
  for (const VariantResult& v : c.variants) {
    if (v.runs.empty()) continue;
    const double interval_days =
        static_cast<double>(v.runs.front().series_interval) / static_cast<double>(sim::kDay);
    f.x_max = std::max(f.x_max, interval_days * static_cast<double>(select(v).size()));
    for (const sim::Estimate& e : select(v)) {
      f.y_max = std::max(f.y_max, e.high());
      f.y_min = std::min(f.y_min, e.low());
    }
  }
  f.x_max = f.x_max > 0 ? f.x_max : 1;
  const double span = f.y_max - f.y_min > 0 ? f.y_max - f.y_min : 1;
  f.y_max += span * 0.05;
  if (f.y_min < 0) f.y_min -= span * 0.05;
  const double legend_height = 16.0 * static_cast<double>(c.variants.size()) + 10;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{:.0f}" height="{:.0f}" font-family="sans-serif">)",
      f.left + f.width + 20, f.top + f.height + 50 + legend_height);
  svg += axes(f, "virtual time (days)", y_title);
  for (std::size_t v = 0; v < c.variants.size(); ++v) {
    const VariantResult& r = c.variants[v];
    if (r.runs.empty() || select(r).empty()) continue;
    const double step = static_cast<double>(r.runs.front().series_interval) / static_cast<double>(sim::kDay);
    std::string band_upper, band_lower, line;
    for (std::size_t i = 0; i < select(r).size(); ++i) {
      const sim::Estimate& e = select(r)[i];
      const double x = f.x((static_cast<double>(i) + 0.5) * step);
      line += fmt::format("{:.1f},{:.1f} ", x, f.y(e.mean));
      band_upper += fmt::format("{:.1f},{:.1f} ", x, f.y(e.high()));
      band_lower.insert(0, fmt::format("{:.1f},{:.1f} ", x, f.y(e.low())));
    }
    svg += fmt::format(R"(<polygon points="{}{}" fill="{}" fill-opacity="0.18" stroke="none"/>)",
                       band_upper, band_lower, colour(v));
    svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6"/>)", line,
                       colour(v));
  }
  std::size_t first_drawn = 0;
  while (first_drawn < c.variants.size() && select(c.variants[first_drawn]).empty()) ++first_drawn;
  svg += legend(c, f.left, f.top + f.height + 46, first_drawn);
  return svg + "</svg>";
}

std::string quality_chart(const Comparison& c) {
  const auto precision = static_cast<std::size_t>(
      std::find_if(kCompareMetrics.begin(), kCompareMetrics.end(),
                   [](const MetricDefinition& m) { return std::string_view(m.key) == "precision"; }) -
      kCompareMetrics.begin());
  const std::size_t recall = precision + 1;
  bool any = false;
  for (const VariantResult& v : c.variants) any = any || v.metrics[precision].n > 0 || v.metrics[recall].n > 0;
  if (!any) {
    return "<p>No precision or recall: the scenario's traffic carries no ground truth (the "
           "workshop generator).</p>";
  }
  Frame f;
  f.height = 240;
  f.y_max = 0;
  for (const VariantResult& v : c.variants) {
    f.y_max = std::max({f.y_max, v.metrics[precision].high(), v.metrics[recall].high()});
  }
  f.y_max = std::min(1.0, std::max(0.05, f.y_max * 1.1));
  const double group_width = f.width / 2;
  const double bar_width = std::min(60.0, group_width * 0.7 / static_cast<double>(c.variants.size()));
  const double legend_height = 16.0 * static_cast<double>(c.variants.size()) + 10;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{:.0f}" height="{:.0f}" font-family="sans-serif">)",
      f.left + f.width + 20, f.top + f.height + 34 + legend_height);
  svg += axes(f, "", "share");
  svg += legend(c, f.left, f.top + f.height + 30);
  const std::array<std::pair<std::size_t, const char*>, 2> groups{{{precision, "precision"}, {recall, "recall"}}};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const double group_left = f.left + group_width * static_cast<double>(g) +
                              (group_width - bar_width * static_cast<double>(c.variants.size())) / 2;
    for (std::size_t v = 0; v < c.variants.size(); ++v) {
      const sim::Estimate& e = c.variants[v].metrics[groups[g].first];
      if (e.n == 0) continue;
      const double x = group_left + bar_width * static_cast<double>(v);
      svg += fmt::format(
          R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{} {}: {:.4f}</title></rect>)",
          x + 2, f.y(e.mean), bar_width - 4, f.y(0) - f.y(e.mean), colour(v),
          c.variants[v].variant.name, groups[g].second, e.mean);
      if (e.half_width) {
        const double middle = x + bar_width / 2;
        svg += fmt::format(
            R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#222"/>)"
            R"(<line x1="{3:.1f}" y1="{1:.1f}" x2="{4:.1f}" y2="{1:.1f}" stroke="#222"/>)"
            R"(<line x1="{3:.1f}" y1="{2:.1f}" x2="{4:.1f}" y2="{2:.1f}" stroke="#222"/>)",
            middle, f.y(std::min(f.y_max, e.high())), f.y(std::max(0.0, e.low())), middle - 6, middle + 6);
      }
    }
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="12">{}</text>)",
                       f.left + group_width * (static_cast<double>(g) + 0.5), f.top + f.height + 18,
                       groups[g].second);
  }
  return svg + "</svg>";
}

}  // namespace

std::string comparison_html(const Comparison& c) {
  const int percent = static_cast<int>(std::lround(c.confidence * 100));
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>fraudsim compare: {}</title>\n", escaped(c.scenario));
  html += "<style>body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px}"
          "h2{font-size:16px;margin-top:28px}p{max-width:900px}</style>\n</head>\n<body>\n";
  html += fmt::format("<h1>fraudsim compare · {} · seeds {} ({})</h1>\n", escaped(c.scenario),
                      escaped(describe_seeds(c.seeds)), c.seeds.size());
  html += fmt::format(
      "<h2>Alerts per day</h2>\n<p>The mean over seeds in each series interval, with the band of its "
      "{}% confidence interval.</p>\n{}\n",
      percent, daily_chart(c, [](const VariantResult& v) -> const auto& { return v.daily_alerts; },
                           "alerts per day"));
  if (c.variants.size() > 1) {
    const std::string first = c.variants.front().variant.name;
    html += fmt::format(
        "<h2>Alerts per day, difference from {0}</h2>\n<p>Each variant's alerts per day minus {0}'s "
        "on the same seed, the mean over seeds with the band of its {1}% confidence interval. The "
        "pairs see the same traffic, so this band is narrower than the ones above.</p>\n{2}\n",
        first, percent,
        daily_chart(c, [](const VariantResult& v) -> const auto& { return v.daily_alert_differences; },
                    "alerts per day minus " + first + "'s"));
  }
  html += fmt::format(
      "<h2>Precision and recall</h2>\n<p>The mean over seeds per variant, with its {}% confidence "
      "interval.</p>\n{}\n",
      percent, quality_chart(c));
  return html + "</body>\n</html>\n";
}

}  // namespace fraudsim
