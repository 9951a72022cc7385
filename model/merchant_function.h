#pragma once
// MerchantFunction, one instance per merchant: asks the merchant-score service for each query and
// replies MerchantScore{score} or, after `attempts` failed attempts, MerchantScore{error} to the
// original caller (carried with every attempt as metadata). An "unknown" result re-queries
// without using up an attempt, as the workshop's code does.
#include "model/merchant_service.h"
#include "model/messages.pb.h"
#include "model/observer.h"
#include "sim/runtime.h"

namespace fraudsim {

class MerchantFunction : public sim::StatefulFunction {
 public:
  MerchantFunction(const MerchantService& service, int attempts, PipelineObserver& observer);
  void invoke(sim::Context& context, const sim::Message& message) override;
  void on_async_result(sim::Context& context, const sim::AsyncResult& result) override;

 private:
  void start_attempt(sim::Context& context, workshop::MerchantMetadata metadata);

  const MerchantService& service_;
  int attempts_;
  PipelineObserver& observer_;
};

}  // namespace fraudsim
