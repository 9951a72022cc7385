// Conservation: every ingested transaction ends in exactly one decision, or is reported in flight
// when the run ends. Checked from the trace, independently of the run's own counters.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "model/pipeline.h"
#include "model/pipeline_types.h"
#include "model/scenario.h"

namespace fraudsim::testing {
namespace {

struct Ledger {
  std::set<std::string> ingested;
  std::set<std::string> decided;
  int decided_twice = 0;
  int decided_unknown = 0;
};

// Reads "time kind target [from] Type {content}" lines: a Transaction delivered to a manager is its
// ingress, a FraudScore delivered to it is its decision.
Ledger read_ledger(const std::string& trace) {
  const std::string manager = std::string(kTransactionManagerType) + "/";
  Ledger ledger;
  std::istringstream in(trace);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string time, kind, target;
    fields >> time >> kind >> target;
    if (kind != "deliver" || target.rfind(manager, 0) != 0) continue;
    const std::string id = target.substr(manager.size());
    if (line.find(" Transaction {") != std::string::npos) ledger.ingested.insert(id);
    if (line.find(" FraudScore {") != std::string::npos) {
      if (!ledger.ingested.count(id)) ++ledger.decided_unknown;
      if (!ledger.decided.insert(id).second) ++ledger.decided_twice;
    }
  }
  return ledger;
}

void check_conservation(const std::vector<std::string>& settings) {
  const Scenario scenario = make_scenario(settings);
  std::ostringstream trace_text;
  sim::TraceWriter trace(trace_text);
  RunHooks hooks;
  hooks.trace = &trace;
  const RunReport report = run_pipeline(scenario, hooks);
  const Ledger ledger = read_ledger(trace_text.str());

  const Metrics& metrics = report.metrics;
  CHECK(ledger.ingested.size() == metrics.totals().transactions);
  CHECK(ledger.decided.size() == metrics.totals().decisions);
  CHECK(ledger.decided_twice == 0);
  CHECK(ledger.decided_unknown == 0);
  const std::uint64_t undecided = ledger.ingested.size() - ledger.decided.size();
  CHECK(undecided == metrics.in_flight());
  // What is in flight is exactly the managers still holding state.
  CHECK(report.types.at(0).name == kTransactionManagerType);
  CHECK(report.types.at(0).addresses_with_state == undecided);
}

}  // namespace

TEST_CASE("every workshop transaction is decided once or reported in flight at the end") {
  // Merchant latency up to 5 s and three attempts leave transactions in flight at a 90 s horizon.
  check_conservation({"traffic.generator=workshop", "run.duration=90s", "traffic.rate=50/s"});
}

TEST_CASE("every population transaction is decided once or reported in flight at the end") {
  check_conservation({"traffic.generator=population", "run.duration=2d", "traffic.accounts=500",
                      "fraud.compromise_rate=0.05/d"});
}

TEST_CASE("across a model restart shorter than the call timeout nothing is lost or decided twice") {
  check_conservation({"traffic.generator=workshop", "run.duration=3min", "traffic.rate=50/s",
                      "faults.model_restarts=1min+30s", "merchant.timeout=2s",
                      "merchant.backoff=exponential"});
}

TEST_CASE("with unknown merchant results and slow hops nothing is lost or decided twice") {
  check_conservation({"traffic.generator=workshop", "run.duration=60s", "traffic.rate=20/s",
                      "merchant.unknown_probability=0.3", "runtime.hop_latency=250ms"});
}

}  // namespace fraudsim::testing
