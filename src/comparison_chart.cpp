#include "src/comparison_chart.h"

#include <algorithm>
#include <cmath>

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
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{:g}", value);
}

struct Frame {
  double left = 70, top = 20, width = 820, height = 300;
  double x_max = 1, y_max = 1;
  double x(double value) const { return left + width * value / x_max; }
  double y(double value) const { return top + height * (1 - value / y_max); }
};

std::string axes(const Frame& f, const std::string& x_title, const std::string& y_title) {
  std::string svg;
  const double y_step = tick_step(f.y_max);
  for (double v = 0; v <= f.y_max + y_step * 1e-9; v += y_step) {
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
                     R"(<line x1="{0:.1f}" y1="{2:.1f}" x2="{3:.1f}" y2="{2:.1f}" stroke="#333"/>)",
                     f.left, f.top, f.top + f.height, f.left + f.width);
  svg += fmt::format(
      R"svg(<text x="14" y="{:.1f}" transform="rotate(-90 14 {:.1f})" text-anchor="middle" font-size="12">{}</text>)svg",
      f.top + f.height / 2, f.top + f.height / 2, escaped(y_title));
  return svg;
}

std::string legend(const Comparison& c, double x, double y) {
  std::string svg;
  for (std::size_t v = 0; v < c.variants.size(); ++v) {
    const VariantResult& r = c.variants[v];
    const std::string text = r.variant.name + "  " +
                             (r.variant.settings.empty() ? "the scenario as it is" : r.variant.label());
    svg += fmt::format(
        R"(<rect x="{:.1f}" y="{:.1f}" width="12" height="12" fill="{}"/>)"
        R"(<text x="{:.1f}" y="{:.1f}" font-size="12">{}</text>)",
        x, y + 16.0 * static_cast<double>(v), colour(v), x + 18, y + 16.0 * static_cast<double>(v) + 10,
        escaped(text));
  }
  return svg;
}

std::string daily_alerts_chart(const Comparison& c) {
  Frame f;
  f.x_max = 0;
  f.y_max = 0;
  for (const VariantResult& v : c.variants) {
    const double interval_days = v.runs.empty() ? 1.0
                                                : static_cast<double>(v.runs.front().series_interval) /
                                                      static_cast<double>(sim::kDay);
    f.x_max = std::max(f.x_max, interval_days * static_cast<double>(v.daily_alerts.size()));
    for (const sim::Estimate& e : v.daily_alerts) f.y_max = std::max(f.y_max, e.high());
  }
  f.x_max = f.x_max > 0 ? f.x_max : 1;
  f.y_max = f.y_max > 0 ? f.y_max * 1.05 : 1;
  const double legend_height = 16.0 * static_cast<double>(c.variants.size()) + 10;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{:.0f}" height="{:.0f}" font-family="sans-serif">)",
      f.left + f.width + 20, f.top + f.height + 50 + legend_height);
  svg += axes(f, "virtual time (days)", "alerts per day");
  for (std::size_t v = 0; v < c.variants.size(); ++v) {
    const VariantResult& r = c.variants[v];
    if (r.runs.empty()) continue;
    const double step = static_cast<double>(r.runs.front().series_interval) / static_cast<double>(sim::kDay);
    std::string band_upper, band_lower, line;
    for (std::size_t i = 0; i < r.daily_alerts.size(); ++i) {
      const sim::Estimate& e = r.daily_alerts[i];
      const double x = f.x((static_cast<double>(i) + 0.5) * step);
      line += fmt::format("{:.1f},{:.1f} ", x, f.y(e.mean));
      band_upper += fmt::format("{:.1f},{:.1f} ", x, f.y(e.high()));
      band_lower.insert(0, fmt::format("{:.1f},{:.1f} ", x, f.y(std::max(0.0, e.low()))));
    }
    svg += fmt::format(R"(<polygon points="{}{}" fill="{}" fill-opacity="0.18" stroke="none"/>)",
                       band_upper, band_lower, colour(v));
    svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6"/>)", line,
                       colour(v));
  }
  svg += legend(c, f.left, f.top + f.height + 46);
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
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{:.0f}" height="{:.0f}" font-family="sans-serif">)",
      f.left + f.width + 20, f.top + f.height + 40);
  svg += axes(f, "", "share");
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
      percent, daily_alerts_chart(c));
  html += fmt::format(
      "<h2>Precision and recall</h2>\n<p>The mean over seeds per variant, with its {}% confidence "
      "interval.</p>\n{}\n",
      percent, quality_chart(c));
  return html + "</body>\n</html>\n";
}

}  // namespace fraudsim
