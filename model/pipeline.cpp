#include "model/pipeline.h"

#include <memory>

#include "model/fraud_count.h"
#include "model/merchant_function.h"
#include "model/merchant_service.h"
#include "model/model_endpoint.h"
#include "model/traffic.h"
#include "model/transaction_manager.h"
#include "model/weighted_model.h"
#include "model/workshop_model.h"

namespace fraudsim {
namespace {

// The alerts egress: counts each alert, hands it to the caller, and lets the traffic react (the
// workshop feeds a share back as confirmations).
class AlertSink : public sim::EgressSink {
 public:
  AlertSink(sim::Runtime& runtime, Metrics& metrics, const RunHooks& hooks)
      : runtime_(runtime), metrics_(metrics), hooks_(hooks) {}
  void set_traffic(TrafficSource* traffic) { traffic_ = traffic; }

  void emit(sim::Time now, const sim::Message& message) override {
    const auto& transaction = static_cast<const workshop::Transaction&>(*message);
    metrics_.on_alert(now, transaction);
    if (hooks_.on_alert) hooks_.on_alert(now, transaction);
    if (traffic_) traffic_->on_alert(runtime_, transaction);
  }

 private:
  sim::Runtime& runtime_;
  Metrics& metrics_;
  const RunHooks& hooks_;
  TrafficSource* traffic_ = nullptr;
};

}  // namespace

RunReport run_pipeline(const Scenario& scenario, const RunHooks& hooks) {
  RunReport report;
  report.metrics = Metrics(scenario.series_interval, scenario.duration);
  Metrics& metrics = report.metrics;

  sim::Runtime runtime(scenario.runtime);
  runtime.set_trace(hooks.trace);
  runtime.set_observer(&metrics);
  if (hooks.on_decision) metrics.set_decision_sink(hooks.on_decision);
  runtime.expect_fixed_delay(scenario.fraud.window);
  AlertSink alerts(runtime, metrics, hooks);
  const PipelineTypes types = declare_pipeline_types(runtime, &alerts);

  metrics.set_model_type(types.model);

  MerchantService service(scenario.merchant, scenario.seed);
  TransactionManager manager(types, scenario.model.threshold, metrics);
  FraudCount fraud_count(types.fraud_count, scenario.fraud.window,
                         scenario.fraud.reproduce_expire_defect);
  MerchantFunction merchant(service, scenario.merchant_retry,
                            sim::make_stream(scenario.seed, "merchant.backoff"), metrics);
  WorkshopModel workshop_model(sim::make_stream(scenario.seed, "model"));
  WeightedModel weighted_model(scenario.model.weights);
  sim::StatefulFunction& model = scenario.model.kind == ModelKind::kWorkshop
                                     ? static_cast<sim::StatefulFunction&>(workshop_model)
                                     : weighted_model;
  // The workshop's model is a remote function: it is reached through calls, with StateFun's
  // retries, batching and timeout, over a network that restarts may cut.
  ModelEndpoint model_endpoint(scenario.model_calls, sim::make_stream(scenario.seed, "model.calls"));
  runtime.bind(types.transaction_manager, &manager);
  runtime.bind(types.fraud_count, &fraud_count);
  runtime.bind(types.merchant, &merchant);
  runtime.bind_remote(types.model, &model, &model_endpoint, scenario.model_calls.policy);

  Ingress ingress(types, metrics);
  std::unique_ptr<TrafficSource> traffic = make_traffic_source(scenario, ingress);
  alerts.set_traffic(traffic.get());
  traffic->start(runtime);

  if (hooks.on_progress) {
    runtime.run_until(scenario.duration, [&] {
      hooks.on_progress(runtime.now(), runtime.events_processed());
      return true;
    });
    hooks.on_progress(runtime.now(), runtime.events_processed());
  } else {
    runtime.run_until(scenario.duration);
  }

  report.fingerprint = runtime.fingerprint().hex();
  report.horizon = scenario.duration;
  report.failure = runtime.failure();
  report.end = report.failure ? report.failure->time : scenario.duration;
  report.async = runtime.async_statistics();
  report.merchant_outages_seen = service.outages_started_by(report.end);
  for (const Window& restart : scenario.model_calls.restarts) {
    if (restart.start <= report.end) ++report.model_restarts_seen;
  }
  report.events = runtime.events_processed();
  report.peak_pending_events = runtime.peak_pending_events();
  report.live_addresses_at_end = runtime.live_addresses();
  report.types = runtime.type_statistics();
  return report;
}

}  // namespace fraudsim
