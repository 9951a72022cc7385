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
  // The merchant function replied to the query of `caller_id` (the transaction), with a score or
  // an error, after `attempts` attempts and `backoff` spent waiting between them.
  virtual void on_merchant_reply(sim::Time, std::string_view /*caller_id*/, bool /*error*/,
                                 int /*attempts*/, sim::Time /*backoff*/) {}
};

// The observer to use when nobody listens.
PipelineObserver& null_observer();

}  // namespace fraudsim
