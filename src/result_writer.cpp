#include "src/result_writer.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/pipeline_types.h"
#include "src/readable.h"

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

sim::CallStatistics model_calls(const RunReport& report) {
  const sim::TypeStatistics* t = find_type(report, kModelType);
  return t ? t->calls : sim::CallStatistics{};
}

Json distribution(const sim::Histogram& h) {
  return {{"mean", h.mean()}, {"p50", h.quantile(0.5)}, {"p99", h.quantile(0.99)}, {"max", h.max()}};
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
  Json fingerprints = Json::object();
  for (const auto& [recipe, hex] : report.fingerprints) fingerprints[recipe] = hex;
  j["fingerprints"] = std::move(fingerprints);
  if (report.failure) {
    j["job_failure"] = {{"time_us", report.failure->time},
                        {"time", sim::format_instant(report.failure->time)},
                        {"cause", report.failure->cause}};
  } else {
    j["job_failure"] = nullptr;
  }
  j["events"] = report.events;
  // Counts against ground truth are null when the traffic carries none (the workshop generator).
  const auto truth = [&](std::uint64_t n) { return m.has_truth() ? Json(n) : Json(nullptr); };
  j["transactions"] = {{"ingested", c.transactions},
                       {"fraud", truth(c.fraud_transactions)},
                       {"decided", c.decisions},
                       {"in_flight_at_end", m.in_flight()}};
  j["alerts"] = {{"total", c.alerts},
                 {"true_positives", truth(c.true_positives)},
                 {"false_positives", truth(c.false_positives)},
                 {"precision", optional_number(m.precision())},
                 {"recall", optional_number(m.recall())}};
  j["confirmations"] = c.confirmations;
  j["merchant"] = {{"attempts", c.merchant_attempts},
                   {"failures", c.merchant_failures},
                   {"unknown", c.merchant_unknowns},
                   {"timeouts", c.merchant_timeouts},
                   {"late_answers_dropped", c.late_answers_dropped},
                   {"score_replies", c.merchant_scores},
                   {"error_replies", c.merchant_errors},
                   {"outages_seen", report.merchant_outages_seen}};
  const sim::CallStatistics calls = model_calls(report);
  j["model_calls"] = {
      {"calls", calls.calls},
      {"attempts", calls.attempts},
      {"failed_attempts", calls.failed_attempts},
      {"retries", calls.retries},
      {"messages", calls.messages},
      {"completed_calls", calls.completed_calls},
      {"mean_batch", calls.completed_calls ? static_cast<double>(calls.messages) /
                                                 static_cast<double>(calls.completed_calls)
                                           : 0.0},
      {"largest_batch", calls.largest_batch},
      {"peak_calls_in_flight", calls.peak_in_flight},
      {"backoff_waited_us", calls.backoff_waited},
      {"restarts_seen", report.model_restarts_seen}};
  j["per_transaction"] = {{"merchant_attempts", distribution(m.merchant_attempts())},
                          {"model_attempts", distribution(m.model_attempts())},
                          {"backoff_us", distribution(m.backoff())},
                          {"with_error_feature", m.decisions_with_error_feature()}};
  // From the histogram (within 0.8%); null when nothing was decided.
  if (latency.count() > 0) {
    j["decision_latency_us"] = {{"p50", latency.quantile(0.50)},
                                {"p90", latency.quantile(0.90)},
                                {"p99", latency.quantile(0.99)},
                                {"p999", latency.quantile(0.999)},
                                {"max", latency.max()},
                                {"mean", latency.mean()}};
  } else {
    j["decision_latency_us"] = nullptr;
  }
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
  // Up to the end of the run (the horizon, or the job failure), empty rows included.
  const std::size_t rows = std::max(static_cast<std::size_t>((report.end + interval - 1) / interval),
                                    m.series().size());
  std::string out =
      "start_us,start,transactions,fraud_transactions,decisions,alerts,true_positives,"
      "false_positives,confirmations,merchant_attempts,merchant_errors,merchant_timeouts,"
      "late_answers_dropped,model_failed_attempts,model_retries,in_flight_at_end,"
      "latency_mean_us,latency_max_us\n";
  std::uint64_t ingested = 0, decided = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const SeriesRow row = i < m.series().size() ? m.series()[i] : SeriesRow{};
    const Counts& c = row.counts;
    ingested += c.transactions;
    decided += c.decisions;
    const sim::Time start = static_cast<sim::Time>(i) * interval;
    const std::string mean =
        c.decisions ? std::to_string(row.latency_sum / static_cast<sim::Time>(c.decisions)) : "";
    const std::string max = c.decisions ? std::to_string(row.latency_max) : "";
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", start,
                       sim::format_instant(start), c.transactions, c.fraud_transactions,
                       c.decisions, c.alerts, c.true_positives, c.false_positives,
                       c.confirmations, c.merchant_attempts, c.merchant_errors,
                       c.merchant_timeouts, c.late_answers_dropped, c.model_failed_attempts,
                       c.model_retries, ingested - decided, mean, max);
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
  if (const auto& server = report.model_server) {
    // Real-world facts of the managed server: they depend on the machine, so never in summary.json.
    j["model_server"] = {{"starts", server->starts},
                         {"stops", server->stops},
                         {"refused_while_down", server->refused_while_down},
                         {"answered_while_down", server->answered_while_down},
                         {"wall_seconds_starting", server->wall_seconds_starting}};
  }
  return j.dump(2) + "\n";
}

std::string latency_histogram_csv(const sim::Histogram& histogram) {
  // Bounds 10^(k/10) µs, rounded, from 1 µs to 10^10 µs (2.8 h); a last row takes the rest.
  std::vector<std::int64_t> bounds{0};
  for (int k = 0; k <= 100; ++k) {
    const auto bound = static_cast<std::int64_t>(std::llround(std::pow(10.0, k / 10.0)));
    if (bound > bounds.back()) bounds.push_back(bound);
  }
  std::vector<std::uint64_t> counts(bounds.size(), 0);
  const auto& fine = histogram.buckets();
  for (std::size_t b = 0; b < fine.size(); ++b) {
    if (fine[b] == 0) continue;
    // A fine bucket goes where its smallest value does: at most 0.8% off at a bound.
    const std::int64_t low = sim::Histogram::bucket_low(b);
    const auto row = static_cast<std::size_t>(
        std::upper_bound(bounds.begin(), bounds.end(), low) - bounds.begin() - 1);
    counts[row] += fine[b];
  }
  std::string out = "low_us,high_us,count\n";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (i + 1 < bounds.size()) {
      out += fmt::format("{},{},{}\n", bounds[i], bounds[i + 1], counts[i]);
    } else {
      out += fmt::format("{},,{}\n", bounds[i], counts[i]);
    }
  }
  return out;
}

void write_decisions_header(std::ostream& out) {
  out << "time_us,transaction,latency_us,score,alert,merchant_attempts,merchant_error,"
         "model_attempts,backoff_us\n";
}

void write_decision(std::ostream& out, const Decision& d) {
  out << fmt::format("{},{},{},{},{},{},{},{},{}\n", d.time, d.transaction.id(),
                     d.time - d.transaction.timestamp(), d.score, d.alert ? 1 : 0,
                     d.timing.merchant_attempts, d.timing.merchant_error ? 1 : 0,
                     d.timing.model_attempts, d.timing.backoff());
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
  if (report.failure) {
    out << fmt::format("  JOB FAILED at {}: {}\n", sim::format_instant(report.failure->time),
                       report.failure->cause);
  }
  if (m.has_truth()) {
    out << fmt::format("  transactions       {:>12}   fraud {}\n", grouped(c.transactions),
                       grouped(c.fraud_transactions));
  } else {
    out << fmt::format("  transactions       {:>12}   (no ground truth)\n", grouped(c.transactions));
  }
  out << fmt::format("  decisions          {:>12}   in flight at end {}\n", grouped(c.decisions),
                     grouped(m.in_flight()));
  if (m.has_truth()) {
    out << fmt::format("  alerts             {:>12}   true {} · false {}\n", grouped(c.alerts),
                       grouped(c.true_positives), grouped(c.false_positives));
    out << fmt::format("  precision          {:>12}   recall {}\n", ratio(m.precision()),
                       ratio(m.recall()));
  } else {
    out << fmt::format("  alerts             {:>12}\n", grouped(c.alerts));
  }
  out << fmt::format("  confirmations      {:>12}\n", grouped(c.confirmations));
  out << fmt::format("  merchant attempts  {:>12}   failures {} · unknown {} · error replies {}\n",
                     grouped(c.merchant_attempts), grouped(c.merchant_failures),
                     grouped(c.merchant_unknowns), grouped(c.merchant_errors));
  if (c.merchant_timeouts || c.late_answers_dropped || report.merchant_outages_seen) {
    out << fmt::format("  merchant faults    timeouts {} · late answers dropped {} · outages {}\n",
                       grouped(c.merchant_timeouts), grouped(c.late_answers_dropped),
                       report.merchant_outages_seen);
  }
  const sim::CallStatistics calls = model_calls(report);
  out << fmt::format("  model calls        {:>12}   failed attempts {} · retries {} · largest batch {}"
                     " · restarts {}\n",
                     grouped(calls.calls), grouped(calls.failed_attempts), grouped(calls.retries),
                     calls.largest_batch, report.model_restarts_seen);
  if (const auto& server = report.model_server) {
    out << fmt::format("  model server       started {} · stopped {} · requests refused while down {}"
                       " · answered while down {}\n",
                       server->starts, server->stops, grouped(server->refused_while_down),
                       grouped(server->answered_while_down));
  }
  if (latency.count() > 0) {
    out << fmt::format("  decision latency   p50 {} · p90 {} · p99 {} · p99.9 {} · max {}\n",
                       readable(latency.quantile(0.5)), readable(latency.quantile(0.9)),
                       readable(latency.quantile(0.99)), readable(latency.quantile(0.999)),
                       readable(latency.max()));
  } else {
    out << "  decision latency   n/a: nothing was decided\n";
  }
  out << fmt::format("  peak state         {} transactions in flight · {} accounts with a fraud count\n",
                     grouped(m.peak_in_flight()), grouped(peak_with_state(report, kFraudCountType)));
  out << fmt::format("  fingerprint        {}", report.fingerprint);
  for (const auto& [recipe, hex] : report.fingerprints) out << fmt::format(" · {} {}", recipe, hex);
  out << "\n";
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
