#pragma once
// The files of a run's output directory and the summary printed on the terminal.
//   summary.json     deterministic: scenario, seed, fingerprint, counts, latency, quality, peaks,
//                    every setting in force
//   timeseries.csv   deterministic: one row per series interval
//   alerts.csv       deterministic: one row per alert (written while the run goes)
//   latency_histogram.csv  deterministic: decision latency in fixed log-spaced buckets
//   decisions.csv    deterministic, on request: one row per decided transaction
//   perf.json        wall-clock figures, which differ between runs
#include <cstdint>
#include <iosfwd>
#include <string>

#include "model/messages.pb.h"
#include "model/pipeline.h"

namespace fraudsim {

struct PerfFigures {
  double wall_seconds = 0;
  std::uint64_t peak_rss_bytes = 0;
};

std::string summary_json(const Scenario& scenario, const RunReport& report);
std::string timeseries_csv(const RunReport& report);
std::string perf_json(const RunReport& report, const PerfFigures& perf);
// Ten buckets per decade from 1 µs; every row present, so files of two runs line up.
std::string latency_histogram_csv(const sim::Histogram& histogram);

// decisions.csv: the header, then one line per decision.
void write_decisions_header(std::ostream& out);
void write_decision(std::ostream& out, const Decision& decision);

// alerts.csv: the header, then one line per alert.
void write_alerts_header(std::ostream& out);
void write_alert(std::ostream& out, sim::Time now, const workshop::Transaction& transaction);

// The readable summary for the terminal.
void print_summary(std::ostream& out, const Scenario& scenario, const RunReport& report,
                   const PerfFigures& perf, const std::string& output_directory);

// Peak resident memory of this process so far.
std::uint64_t peak_rss_bytes();

}  // namespace fraudsim
