#pragma once
// Traffic: what enters the pipeline. A source schedules itself on the runtime's timers and ingests
// Transactions (to the transaction manager) and ConfirmFraud records (to FraudCount) through
// Ingress, which numbers transactions and tells the observer.
#include <memory>
#include <string>

#include "model/messages.pb.h"
#include "model/observer.h"
#include "model/pipeline_types.h"
#include "sim/runtime.h"

namespace fraudsim {

struct Scenario;

class Ingress {
 public:
  Ingress(const PipelineTypes& types, PipelineObserver& observer)
      : types_(types), observer_(observer) {}
  // Gives the transaction the next id and its ingress time, and delivers it now.
  void transaction(sim::Runtime& runtime, workshop::Transaction transaction);
  void confirmation(sim::Runtime& runtime, std::string account);
  std::uint64_t transactions() const { return next_id_; }

 private:
  PipelineTypes types_;
  PipelineObserver& observer_;
  std::uint64_t next_id_ = 0;
};

class TrafficSource {
 public:
  virtual ~TrafficSource() = default;
  // Schedules the first arrivals.
  virtual void start(sim::Runtime& runtime) = 0;
  // Called for every alert the pipeline emits (the workshop feeds some back as confirmations).
  virtual void on_alert(sim::Runtime&, const workshop::Transaction&) {}
};

// The source the scenario's traffic.generator names. Replay files are read here, so a bad file
// fails before anything runs.
std::unique_ptr<TrafficSource> make_traffic_source(const Scenario& scenario, Ingress& ingress);

// Account ids as the workshop prints them: "0x%08X".
std::string format_account(std::uint64_t number);

}  // namespace fraudsim
