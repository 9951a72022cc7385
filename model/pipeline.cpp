#include "model/pipeline.h"

#include <memory>

#include "model/decision_witness.h"
#include "model/managed_model.h"
#include "model/model_endpoint.h"
#include "model/pipeline_functions.h"
#include "model/remote_functions.h"
#include "model/traffic.h"

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
    const auto* sent = &static_cast<const workshop::Transaction&>(*message);
    if (const workshop::Transaction* original = metrics_.undecided(sent->id())) sent = original;
    const workshop::Transaction& transaction = *sent;
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
  // First, so that a fingerprint of random draws hears every draw of the run.
  runtime.keep_fingerprints(scenario.fingerprint_recipes);
  runtime.set_trace(hooks.trace);
  runtime.set_observer(&metrics);
  if (hooks.on_decision) metrics.set_decision_sink(hooks.on_decision);
  runtime.expect_fixed_delay(scenario.fraud.window);
  AlertSink alerts(runtime, metrics, hooks);
  const PipelineTypes types = declare_pipeline_types(runtime, &alerts);

  metrics.set_model_type(types.model);

  PipelineFunctions functions(scenario, types, metrics);
  // The workshop's model is a remote function: it is reached through calls, with StateFun's
  // retries, batching and timeout, over a network that restarts may cut. Embedded, it runs at
  // each call's answer; behind an endpoint, the call goes over HTTP.
  ModelEndpoint model_endpoint(scenario.model_calls, sim::make_stream(scenario.seed, "model.calls"));
  // The network to the other functions, when the scenario puts them behind endpoints.
  ModelEndpoint remote_network(scenario.remote_calls, sim::make_stream(scenario.seed, "remote.calls"));
  RemoteFunctions remote(scenario, hooks.transport, hooks.while_waiting);
  // A remote transaction manager decides out of sight; its decisions are seen from its calls.
  std::unique_ptr<DecisionWitness> decisions;
  if (auto* manager = remote.handler_for(runtime.type_name(types.transaction_manager))) {
    decisions = std::make_unique<DecisionWitness>(*manager, metrics);
    metrics.observe_remote_decisions();
  }
  const auto bind = [&](sim::TypeId type, sim::StatefulFunction& function) {
    sim::CallHandler* handler = remote.handler_for(runtime.type_name(type));
    if (handler != nullptr && type == types.transaction_manager) handler = decisions.get();
    if (handler != nullptr) {
      runtime.bind_remote(type, handler, &remote_network, scenario.remote_calls.policy);
    } else {
      runtime.bind(type, &function);
    }
  };
  bind(types.transaction_manager, functions.manager);
  bind(types.fraud_count, functions.fraud_count);
  bind(types.merchant, functions.merchant);
  // A model's server that fraudsim runs follows the virtual clock through its restarts. With a
  // transport given (tests, checks in process) there is no server to run.
  std::unique_ptr<ManagedModelEndpoint> managed;
  if (auto* handler = remote.handler_for(runtime.type_name(types.model))) {
    sim::CallEndpoint* endpoint = &model_endpoint;
    if (scenario.model_server.enabled() && hooks.transport == nullptr) {
      ManagedModelEndpoint::Options options;
      options.log = hooks.model_server_log;
      options.transport = remote.http_transport();
      options.while_waiting = hooks.while_waiting;
      options.settings = settings_arguments(scenario.effective);
      managed = std::make_unique<ManagedModelEndpoint>(
          model_endpoint, scenario.model_calls.restarts, scenario.model_server,
          handler->url(), std::move(options));
      managed->start();
      endpoint = managed.get();
    }
    runtime.bind_remote(types.model, handler, endpoint, scenario.model_calls.policy);
  } else {
    runtime.bind_remote(types.model, &functions.model(), &model_endpoint, scenario.model_calls.policy);
  }

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

  if (managed) {
    managed->stop();
    report.model_server = managed->statistics();
  }
  report.fingerprint = runtime.fingerprint().hex();
  report.fingerprints = runtime.fingerprints().kept();
  report.horizon = scenario.duration;
  report.failure = runtime.failure();
  report.end = report.failure ? report.failure->time : scenario.duration;
  report.async = runtime.async_statistics();
  report.merchant_outages_seen = functions.service.outages_started_by(report.end);
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
