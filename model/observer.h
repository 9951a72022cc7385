#pragma once
// What the pipeline tells the run's metrics as it goes. Every hook has a no-op default, so tests
// can observe only what they check.
#include "model/messages.pb.h"
#include "sim/runtime.h"

namespace fraudsim {

class PipelineObserver {
 public:
  virtual ~PipelineObserver() = default;
  // A transaction entered the pipeline (ingress).
  virtual void on_transaction(sim::Time, const workshop::Transaction&) {}
  // A confirmation entered the pipeline (ingress).
  virtual void on_confirmation(sim::Time, const workshop::ConfirmFraud&) {}
  // The transaction manager received the model's score: the transaction is decided.
  virtual void on_decision(sim::Time, const workshop::Transaction&, int /*score*/, bool /*alert*/) {}
  // One merchant-service attempt completed.
  virtual void on_merchant_attempt(sim::Time, sim::AsyncStatus) {}
  // The merchant function replied to a query, with a score or an error.
  virtual void on_merchant_reply(sim::Time, bool /*error*/) {}
};

// The observer to use when nobody listens.
PipelineObserver& null_observer();

}  // namespace fraudsim
