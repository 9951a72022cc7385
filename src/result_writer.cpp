#include "src/result_writer.h"

#include <sys/resource.h>

#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/pipeline_types.h"

namespace fraudsim {
namespace {

using Json = nlohmann::ordered_json;

const sim::TypeStatistics* find_type(const RunReport& report, std::string_view name) {
  for (const auto& t : report.types) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::uint64_t peak_with_state(const RunReport& report, std::string_view type) {
  const sim::TypeStatistics* t = find_type(report, type);
  return t ? t->peak_addresses_with_state : 0;
}

Json optional_number(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

const char* truth_name(workshop::Truth truth) {
  switch (truth) {
    case workshop::TRUTH_FRAUD: return "fraud";
    case workshop::TRUTH_LEGITIMATE: return "legitimate";
    default: return "unknown";
  }
}

// "1,234,567"
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// A latency for people: "850us", "12.3ms", "2.51s", "3.2min".
std::string readable(sim::Time t) {
  if (t < sim::kMillisecond) return fmt::format("{}us", t);
  if (t < sim::kSecond) return fmt::format("{:.3g}ms", static_cast<double>(t) / 1e3);
  if (t < sim::kMinute) return fmt::format("{:.3g}s", static_cast<double>(t) / 1e6);
  if (t < sim::kHour) return fmt::format("{:.3g}min", static_cast<double>(t) / 6e7);
  return fmt::format("{:.3g}h", static_cast<double>(t) / 3.6e9);
}

std::string ratio(const std::optional<double>& value) {
  return value ? fmt::format("{:.4f}", *value) : std::string("n/a");
}

}  // namespace

std::string summary_json(const Scenario& scenario, const RunReport& report) {
  const Metrics& m = report.metrics;
  const Counts& c = m.totals();
  const sim::Histogram& latency = m.decision_latency();
  Json j;
  j["scenario"] = scenario.name;
  j["seed"] = scenario.seed;
  j["horizon"] = sim::format_duration(report.horizon);
  j["fingerprint"] = report.fingerprint;
  j["events"] = report.events;
  j["transactions"] = {{"ingested", c.transactions},
                       {"fraud", c.fraud_transactions},
                       {"decided", c.decisions},
                       {"in_flight_at_end", m.in_flight()}};
  j["alerts"] = {{"total", c.alerts},
                 {"true_positives", c.true_positives},
                 {"false_positives", c.false_positives},
                 {"precision", optional_number(m.precision())},
                 {"recall", optional_number(m.recall())}};
  j["confirmations"] = c.confirmations;
  j["merchant"] = {{"attempts", c.merchant_attempts},
                   {"failures", c.merchant_failures},
                   {"unknown", c.merchant_unknowns},
                   {"score_replies", c.merchant_scores},
                   {"error_replies", c.merchant_errors}};
  j["decision_latency_us"] = {{"p50", latency.quantile(0.50)},
                              {"p90", latency.quantile(0.90)},
                              {"p99", latency.quantile(0.99)},
                              {"p999", latency.quantile(0.999)},
                              {"max", latency.max()},
                              {"mean", latency.mean()}};
  j["peak_state"] = {{"in_flight_transactions", m.peak_in_flight()},
                     {"accounts_with_fraud_count", peak_with_state(report, kFraudCountType)},
                     {"merchants_with_state", peak_with_state(report, kMerchantType)},
                     {"pending_events", report.peak_pending_events}};
  Json settings = Json::object();
  for (const auto& [key, value] : scenario.effective) settings[key] = value;
  j["settings"] = std::move(settings);
  return j.dump(2) + "\n";
}

std::string timeseries_csv(const RunReport& report) {
  const Metrics& m = report.metrics;
  const sim::Time interval = m.series_interval();
  std::size_t rows = static_cast<std::size_t>((report.horizon + interval - 1) / interval);
  if (m.series().size() > rows) rows = m.series().size();
  std::string out =
      "start_us,start,transactions,fraud_transactions,decisions,alerts,true_positives,"
      "false_positives,confirmations,merchant_attempts,merchant_errors,in_flight_at_end\n";
  std::uint64_t ingested = 0, decided = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const Counts c = i < m.series().size() ? m.series()[i].counts : Counts{};
    ingested += c.transactions;
    decided += c.decisions;
    const sim::Time start = static_cast<sim::Time>(i) * interval;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", start, sim::format_instant(start),
                       c.transactions, c.fraud_transactions, c.decisions, c.alerts,
                       c.true_positives, c.false_positives, c.confirmations, c.merchant_attempts,
                       c.merchant_errors, ingested - decided);
  }
  return out;
}

std::string perf_json(const RunReport& report, const PerfFigures& perf) {
  const double seconds = perf.wall_seconds > 0 ? perf.wall_seconds : 1e-9;
  Json j;
  j["wall_seconds"] = perf.wall_seconds;
  j["events"] = report.events;
  j["events_per_second"] = static_cast<double>(report.events) / seconds;
  j["transactions_per_second"] =
      static_cast<double>(report.metrics.totals().transactions) / seconds;
  j["virtual_seconds_per_second"] = static_cast<double>(report.horizon) / 1e6 / seconds;
  j["peak_rss_bytes"] = perf.peak_rss_bytes;
  return j.dump(2) + "\n";
}

void write_alerts_header(std::ostream& out) {
  out << "time_us,time,transaction,account,merchant,amount,truth\n";
}

void write_alert(std::ostream& out, sim::Time now, const workshop::Transaction& t) {
  out << fmt::format("{},{},{},{},{},{},{}\n", now, sim::format_instant(now), t.id(), t.account(),
                     t.merchant(), t.amount(), truth_name(t.truth()));
}

void print_summary(std::ostream& out, const Scenario& scenario, const RunReport& report,
                   const PerfFigures& perf, const std::string& output_directory) {
  const Metrics& m = report.metrics;
  const Counts& c = m.totals();
  const sim::Histogram& latency = m.decision_latency();
  const double seconds = perf.wall_seconds > 0 ? perf.wall_seconds : 1e-9;
  out << fmt::format("fraudsim · {} · seed {} · {} of virtual time\n", scenario.name,
                     scenario.seed, sim::format_duration(report.horizon));
  out << fmt::format("  transactions       {:>12}   fraud {}\n", grouped(c.transactions),
                     grouped(c.fraud_transactions));
  out << fmt::format("  decisions          {:>12}   in flight at end {}\n", grouped(c.decisions),
                     grouped(m.in_flight()));
  out << fmt::format("  alerts             {:>12}   true {} · false {}\n", grouped(c.alerts),
                     grouped(c.true_positives), grouped(c.false_positives));
  if (m.precision() || m.recall()) {
    out << fmt::format("  precision          {:>12}   recall {}\n", ratio(m.precision()),
                       ratio(m.recall()));
  } else {
    out << "  precision, recall  n/a: this traffic carries no ground truth\n";
  }
  out << fmt::format("  confirmations      {:>12}\n", grouped(c.confirmations));
  out << fmt::format("  merchant attempts  {:>12}   failures {} · unknown {} · error replies {}\n",
                     grouped(c.merchant_attempts), grouped(c.merchant_failures),
                     grouped(c.merchant_unknowns), grouped(c.merchant_errors));
  out << fmt::format("  decision latency   p50 {} · p99 {} · max {}\n",
                     readable(latency.quantile(0.5)), readable(latency.quantile(0.99)),
                     readable(latency.max()));
  out << fmt::format("  peak state         {} transactions in flight · {} accounts with a fraud count\n",
                     grouped(m.peak_in_flight()), grouped(peak_with_state(report, kFraudCountType)));
  out << fmt::format("  fingerprint        {}\n", report.fingerprint);
  out << fmt::format("  wall time          {:.2f} s · {:.2f} M events/s · {} events\n",
                     perf.wall_seconds, static_cast<double>(report.events) / seconds / 1e6,
                     grouped(report.events));
  out << fmt::format("  results            {}\n", output_directory);
}

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace fraudsim
