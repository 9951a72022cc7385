#include "sim/remote/function_host.h"

#include <fmt/format.h>

#include "sim/remote/wire_address.h"

namespace sim::remote {

namespace rr = io::statefun::sdk::reqreply;

namespace {

std::int64_t whole_milliseconds(Time delay) { return (delay + kMillisecond - 1) / kMillisecond; }

}  // namespace

FunctionHost::FunctionHost(const WireConventions& conventions) : conventions_(conventions) {
  runtime_.capture_ = &effects_;
}

void FunctionHost::host(TypeId type, std::vector<HostedState*> states) {
  hosted_.push_back(Hosted{type, conventions_.wire_type(runtime_.type_name(type)), std::move(states)});
}

const FunctionHost::Hosted* FunctionHost::find(const std::string& wire_type) const {
  for (const Hosted& h : hosted_) {
    if (h.wire_type == wire_type) return &h;
  }
  return nullptr;
}

std::string FunctionHost::handle(std::string_view request_bytes) {
  rr::ToFunction request;
  if (!request.ParseFromArray(request_bytes.data(), static_cast<int>(request_bytes.size()))) {
    throw BadRequest(fmt::format("the body is not a ToFunction ({} bytes)", request_bytes.size()));
  }
  if (!request.has_invocation()) throw BadRequest("the request holds no invocation batch");
  const rr::ToFunction::InvocationBatchRequest& batch = request.invocation();
  if (!batch.has_target()) throw BadRequest("the batch has no target");
  const rr::Address& target = batch.target();
  if (target.namespace_().empty() || target.type().empty()) {
    throw BadRequest(fmt::format("the target type '{}' is not namespace/name", wire_name(target)));
  }
  const Hosted* hosted = find(wire_name(target));
  if (hosted == nullptr) throw BadRequest(fmt::format("unknown function type '{}'", wire_name(target)));

  rr::FromFunction response;
  // States the function keeps that the request does not carry: ask for them, run nothing.
  for (HostedState* state : hosted->states) {
    const StateSpec spec = state->spec();
    bool present = false;
    for (const auto& value : batch.state()) present = present || value.state_name() == spec.name;
    if (present) continue;
    rr::FromFunction::PersistedValueSpec& missing =
        *response.mutable_incomplete_invocation_context()->add_missing_values();
    missing.set_state_name(spec.name);
    missing.set_type_typename(spec.type_name);
    if (spec.expiry != StateExpiry::kNone) {
      missing.mutable_expiration_spec()->set_mode(spec.expiry == StateExpiry::kAfterWrite
                                                      ? rr::FromFunction::ExpirationSpec::AFTER_WRITE
                                                      : rr::FromFunction::ExpirationSpec::AFTER_INVOKE);
      missing.mutable_expiration_spec()->set_expire_after_millis(whole_milliseconds(spec.ttl));
    }
  }
  if (response.has_incomplete_invocation_context()) return response.SerializeAsString();

  const AddressRef self = runtime_.intern(hosted->type, target.id());
  try {
    std::string answer = run_batch(*hosted, self, batch);
    forget(*hosted, self);
    return answer;
  } catch (...) {
    forget(*hosted, self);
    throw;
  }
}

void FunctionHost::forget(const Hosted& hosted, AddressRef self) {
  Context context(runtime_, self, kNoAddress);
  for (HostedState* state : hosted.states) state->clear(context);
  effects_.clear();
  runtime_.immediate_async_.clear();
  runtime_.forget_unreferenced();
}

std::string FunctionHost::run_batch(const Hosted& hosted, AddressRef self,
                                    const rr::ToFunction::InvocationBatchRequest& batch) {
  Context self_context(runtime_, self, kNoAddress);
  std::vector<std::string> before(hosted.states.size());
  for (std::size_t i = 0; i < hosted.states.size(); ++i) {
    HostedState& state = *hosted.states[i];
    const StateSpec spec = state.spec();
    for (const auto& value : batch.state()) {
      if (value.state_name() != spec.name || !value.has_state_value() ||
          !value.state_value().has_value()) {
        continue;
      }
      if (value.state_value().typename_() != spec.type_name) {
        throw BadRequest(fmt::format("state '{}' holds a '{}', but it is a '{}'", spec.name,
                                     value.state_value().typename_(), spec.type_name));
      }
      try {
        state.load(self_context, value.state_value());
      } catch (const std::exception& e) {
        throw BadRequest(fmt::format("state '{}': {}", spec.name, e.what()));
      }
    }
    if (auto saved = state.save(self_context)) before[i] = saved->SerializeAsString();
  }

  const std::string& self_type = runtime_.type_name(hosted.type);
  for (const auto& invocation : batch.invocations()) {
    AddressRef caller = kNoAddress;
    std::string sender;
    if (invocation.has_caller()) {
      sender = conventions_.runtime_type(wire_name(invocation.caller()));
      const auto type = runtime_.find_type(sender);
      if (!type) throw BadRequest(fmt::format("unknown caller type '{}'", wire_name(invocation.caller())));
      caller = runtime_.intern(*type, invocation.caller().id());
    }
    Message message;
    try {
      message = conventions_.decode(invocation.argument(), sender, self_type);
    } catch (const std::exception& e) {
      throw BadRequest(fmt::format("an argument for {}: {}", self_type, e.what()));
    }
    runtime_.invoke(self, caller, message, nullptr);
    while (!runtime_.immediate_async_.empty()) {
      const Runtime::ImmediateAsync done = std::move(runtime_.immediate_async_.front());
      runtime_.immediate_async_.pop_front();
      Context context(runtime_, done.target, kNoAddress);
      runtime_.types_[runtime_.slots_[done.target].type].function->on_async_result(
          context, AsyncResult{done.status, done.value, done.metadata});
    }
  }

  rr::FromFunction response;
  rr::FromFunction::InvocationResponse& result = *response.mutable_invocation_result();
  add_effects(result);
  for (std::size_t i = 0; i < hosted.states.size(); ++i) {
    const auto after = hosted.states[i]->save(self_context);
    const std::string after_bytes = after ? after->SerializeAsString() : std::string();
    if (after_bytes == before[i]) continue;
    rr::FromFunction::PersistedValueMutation& mutation = *result.add_state_mutations();
    mutation.set_state_name(hosted.states[i]->spec().name);
    if (after) {
      mutation.set_mutation_type(rr::FromFunction::PersistedValueMutation::MODIFY);
      *mutation.mutable_state_value() = *after;
      mutation.mutable_state_value()->set_has_value(true);
    } else {
      mutation.set_mutation_type(rr::FromFunction::PersistedValueMutation::DELETE);
    }
  }
  return response.SerializeAsString();
}

void FunctionHost::add_effects(rr::FromFunction::InvocationResponse& result) {
  for (const Runtime::CapturedEffect& effect : effects_) {
    switch (effect.kind) {
      case Runtime::CapturedEffect::Kind::kSend: {
        rr::FromFunction::Invocation& out = *result.add_outgoing_messages();
        set_wire_address(*out.mutable_target(), conventions_.wire_type(effect.to.type), effect.to.id);
        *out.mutable_argument() = conventions_.encode(effect.message);
        break;
      }
      case Runtime::CapturedEffect::Kind::kDelayed: {
        rr::FromFunction::DelayedInvocation& out = *result.add_delayed_invocations();
        out.set_delay_in_ms(whole_milliseconds(effect.delay));
        set_wire_address(*out.mutable_target(), conventions_.wire_type(effect.to.type), effect.to.id);
        *out.mutable_argument() = conventions_.encode(effect.message);
        if (!effect.token.empty()) out.set_cancellation_token(effect.token);
        break;
      }
      case Runtime::CapturedEffect::Kind::kCancel: {
        rr::FromFunction::DelayedInvocation& out = *result.add_delayed_invocations();
        out.set_is_cancellation_request(true);
        out.set_cancellation_token(effect.token);
        break;
      }
      case Runtime::CapturedEffect::Kind::kEgress: {
        auto [wire_egress, argument] = conventions_.encode_egress(effect.egress, effect.message);
        const auto slash = wire_egress.rfind('/');
        rr::FromFunction::EgressMessage& out = *result.add_outgoing_egresses();
        out.set_egress_namespace(slash == std::string::npos ? std::string() : wire_egress.substr(0, slash));
        out.set_egress_type(slash == std::string::npos ? wire_egress : wire_egress.substr(slash + 1));
        *out.mutable_argument() = std::move(argument);
        break;
      }
    }
  }
}

}  // namespace sim::remote
