#pragma once
// One run of the workshop's pipeline: builds the runtime, binds the four functions, starts the
// traffic, runs to the scenario's horizon and reports.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/metrics.h"
#include "model/scenario.h"
#include "model/managed_model.h"
#include "sim/remote/transport.h"
#include "sim/runtime.h"
#include "sim/trace.h"

namespace fraudsim {

struct RunHooks {
  sim::TraceWriter* trace = nullptr;
  // Every alert, as the egress emits it.
  std::function<void(sim::Time, const workshop::Transaction&)> on_alert;
  // Every decision, with how the transaction went (for a per-transaction file).
  std::function<void(const Decision&)> on_decision;
  // Called now and then while running (every 65,536 events) and once at the end.
  std::function<void(sim::Time now, std::uint64_t events)> on_progress;
  // Carries the calls to remote functions instead of HTTP (tests).
  sim::remote::Transport* transport = nullptr;
  // Called about ten times a second while the run waits for a remote function's HTTP answer; it
  // may throw to abandon the run (an interrupt), like on_progress.
  std::function<void()> while_waiting;
  // Where the output of the model's server goes when fraudsim runs it (model.server); empty: a
  // temporary file, removed after the run.
  std::string model_server_log;
};

struct RunReport {
  std::string fingerprint;  // 16 hex digits
  // The fingerprints run.fingerprints asked for: (recipe, 16 hex digits).
  std::vector<std::pair<std::string, std::string>> fingerprints;
  sim::Time horizon = 0;
  sim::Time end = 0;  // the horizon, or the time of the job failure
  std::optional<sim::JobFailure> failure;
  sim::AsyncStatistics async;
  std::size_t merchant_outages_seen = 0;  // outage windows begun by the end
  std::size_t model_restarts_seen = 0;    // restart windows begun by the end
  std::uint64_t events = 0;
  std::size_t peak_pending_events = 0;
  std::size_t live_addresses_at_end = 0;
  std::vector<sim::TypeStatistics> types;  // per function type, in declaration order
  std::optional<ModelServerStatistics> model_server;  // when fraudsim ran the model's server
  Metrics metrics{sim::kDay, sim::kDay};
};

RunReport run_pipeline(const Scenario& scenario, const RunHooks& hooks = {});

}  // namespace fraudsim
