#include "sim/remote/remote_function.h"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/remote/wire_address.h"

namespace sim::remote {

namespace rr = io::statefun::sdk::reqreply;

namespace {

// An answer that cannot be applied; the message says why.
class BadAnswer : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

StateExpiry expiry_of(const rr::FromFunction::ExpirationSpec& spec) {
  switch (spec.mode()) {
    case rr::FromFunction::ExpirationSpec::AFTER_WRITE: return StateExpiry::kAfterWrite;
    case rr::FromFunction::ExpirationSpec::AFTER_INVOKE: return StateExpiry::kAfterInvoke;
    default: return StateExpiry::kNone;
  }
}

}  // namespace

struct RemoteFunction::Plan {
  struct Outgoing {
    TypeId type;
    std::string id;
    Message message;
  };
  struct Delayed {
    bool cancel = false;
    Time delay = 0;
    TypeId type = 0;
    std::string id;
    Message message;
    std::string token;
  };
  struct Egress {
    EgressId egress;
    Message message;
  };
  struct Mutation {
    std::size_t spec;
    bool modify;
    TypedValue value;
  };
  std::vector<Outgoing> outgoing;
  std::vector<Delayed> delayed;
  std::vector<Egress> egress;
  std::vector<Mutation> mutations;
};

RemoteFunction::RemoteFunction(std::string url, const WireConventions& conventions,
                               Transport& transport)
    : url_(std::move(url)), conventions_(conventions), transport_(transport) {}

std::vector<RemoteFunction::StoredValue>& RemoteFunction::values_of(const std::string& id) {
  std::vector<StoredValue>& values = values_[id];
  values.resize(specs_.size());
  return values;
}

void RemoteFunction::drop_expired(std::vector<StoredValue>& values, Time now) const {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const StateSpec& spec = specs_[i];
    if (values[i].present && spec.expiry != StateExpiry::kNone &&
        now >= values[i].touched + spec.ttl) {
      values[i] = StoredValue{};
    }
  }
}

std::string RemoteFunction::build_request(Runtime& runtime, AddressRef target,
                                          std::span<const CallMessage> batch) {
  const Address self = runtime.address_of(target);
  rr::ToFunction request;
  rr::ToFunction::InvocationBatchRequest& invocation = *request.mutable_invocation();
  set_wire_address(*invocation.mutable_target(), conventions_.wire_type(self.type), self.id);
  std::vector<StoredValue>* values = nullptr;
  if (auto found = values_.find(self.id); found != values_.end()) {
    values = &found->second;
    values->resize(specs_.size());
    drop_expired(*values, runtime.now());
    bool any = false;
    for (const StoredValue& v : *values) any = any || v.present;
    if (!any) {
      values_.erase(found);
      values = nullptr;
    }
  }
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    rr::ToFunction::PersistedValue& state = *invocation.add_state();
    state.set_state_name(specs_[i].name);
    if (values != nullptr && (*values)[i].present) {
      *state.mutable_state_value() = (*values)[i].value;
      if (specs_[i].expiry == StateExpiry::kAfterInvoke) (*values)[i].touched = runtime.now();
    }
  }
  for (const CallMessage& m : batch) {
    rr::ToFunction::Invocation& one = *invocation.add_invocations();
    if (m.caller != kNoAddress) {
      const Address caller = runtime.address_of(m.caller);
      set_wire_address(*one.mutable_caller(), conventions_.wire_type(caller.type), caller.id);
    }
    *one.mutable_argument() = conventions_.encode(m.message);
  }
  return request.SerializeAsString();
}

void RemoteFunction::send(Runtime& runtime, AddressRef target, std::span<const CallMessage> batch) {
  Sent sent;
  try {
    sent.ticket = transport_.post(url_, build_request(runtime, target, batch));
  } catch (const std::exception& e) {
    sent.error = fmt::format("the request to {} could not be built: {}", url_, e.what());
  }
  sent_[runtime.address_of(target).id] = std::move(sent);
}

CallOutcome RemoteFunction::rejected(std::string why) const {
  return CallOutcome{CallOutcome::Kind::kRejected, std::move(why)};
}

CallOutcome RemoteFunction::receive(Context& context, std::span<const CallMessage>) {
  auto it = sent_.find(context.self_id());
  if (it == sent_.end()) throw std::logic_error("an answer arrived for a call never sent");
  const Sent sent = std::move(it->second);
  sent_.erase(it);
  if (!sent.error.empty()) return rejected(sent.error);

  const HttpAnswer answer = transport_.await(sent.ticket);
  if (answer.status == 0) {
    return CallOutcome{CallOutcome::Kind::kFailed, fmt::format("{} (POST {})", answer.error, url_)};
  }
  if (answer.status < 200 || answer.status > 299) {
    std::string why = fmt::format("HTTP {} from POST {}", answer.status, url_);
    if (retryable(answer)) return CallOutcome{CallOutcome::Kind::kFailed, std::move(why)};
    return rejected(std::move(why) + ", which is not retried");
  }
  rr::FromFunction response;
  if (!response.ParseFromString(answer.body)) {
    return rejected(fmt::format("the answer from {} is not a FromFunction ({} bytes)", url_,
                                answer.body.size()));
  }
  if (response.has_incomplete_invocation_context()) return negotiate(response);
  try {
    Plan plan = read_response(context, response);
    apply(context, plan);
  } catch (const std::exception& e) {
    return rejected(fmt::format("the answer from {} cannot be applied: {}", url_, e.what()));
  }
  return CallOutcome{};
}

CallOutcome RemoteFunction::negotiate(const rr::FromFunction& answer) {
  bool registered = false;
  for (const auto& missing : answer.incomplete_invocation_context().missing_values()) {
    if (missing.state_name().empty()) return rejected(fmt::format("{} asks for a state with no name", url_));
    const StateSpec* known = nullptr;
    for (const StateSpec& spec : specs_) {
      if (spec.name == missing.state_name()) known = &spec;
    }
    if (known != nullptr) {
      if (known->type_name != missing.type_typename()) {
        return rejected(fmt::format("{} asks for state '{}' of type '{}', registered as '{}'", url_,
                                    missing.state_name(), missing.type_typename(), known->type_name));
      }
      continue;
    }
    StateSpec spec;
    spec.name = missing.state_name();
    spec.type_name = missing.type_typename();
    if (missing.has_expiration_spec()) {
      spec.expiry = expiry_of(missing.expiration_spec());
      spec.ttl = missing.expiration_spec().expire_after_millis() * kMillisecond;
      if (spec.expiry != StateExpiry::kNone && spec.ttl <= 0) {
        return rejected(fmt::format("{} asks for state '{}' with a TTL of {} ms", url_, spec.name,
                                    missing.expiration_spec().expire_after_millis()));
      }
    }
    specs_.push_back(std::move(spec));
    registered = true;
  }
  if (!registered) {
    return rejected(fmt::format("{} asks again for states it was already sent", url_));
  }
  return CallOutcome{CallOutcome::Kind::kResend, "state registered"};
}

RemoteFunction::Plan RemoteFunction::read_response(Context& context,
                                                   const rr::FromFunction& answer) const {
  Runtime& runtime = context.runtime();
  const std::string self_type = context.self().type;
  const auto runtime_type = [&](const rr::Address& address) {
    const std::string name = conventions_.runtime_type(wire_name(address));
    const auto type = runtime.find_type(name);
    if (!type) throw BadAnswer(fmt::format("it sends to the unknown function type '{}'", wire_name(address)));
    if (address.id().empty()) throw BadAnswer(fmt::format("it sends to {} with no id", name));
    return *type;
  };
  const auto decode = [&](const TypedValue& value, TypeId to) {
    try {
      return conventions_.decode(value, self_type, runtime.type_name(to));
    } catch (const std::exception& e) {
      throw BadAnswer(fmt::format("a message to {}: {}", runtime.type_name(to), e.what()));
    }
  };

  Plan plan;
  const rr::FromFunction::InvocationResponse& result = answer.invocation_result();
  for (const auto& out : result.outgoing_messages()) {
    const TypeId type = runtime_type(out.target());
    plan.outgoing.push_back({type, out.target().id(), decode(out.argument(), type)});
  }
  for (const auto& delayed : result.delayed_invocations()) {
    Plan::Delayed d;
    d.token = delayed.cancellation_token();
    if (delayed.is_cancellation_request()) {
      if (d.token.empty()) throw BadAnswer("a cancellation with no token");
      d.cancel = true;
    } else {
      if (delayed.delay_in_ms() < 0) throw BadAnswer("a delayed message with a negative delay");
      d.delay = delayed.delay_in_ms() * kMillisecond;
      d.type = runtime_type(delayed.target());
      d.id = delayed.target().id();
      d.message = decode(delayed.argument(), d.type);
    }
    plan.delayed.push_back(std::move(d));
  }
  for (const auto& egress : result.outgoing_egresses()) {
    const std::string wire = egress.egress_namespace() + "/" + egress.egress_type();
    std::pair<std::string, Message> decoded;
    try {
      decoded = conventions_.decode_egress(wire, egress.argument(), context.self());
    } catch (const std::exception& e) {
      throw BadAnswer(fmt::format("egress '{}': {}", wire, e.what()));
    }
    const auto id = runtime.find_egress(decoded.first);
    if (!id) throw BadAnswer(fmt::format("it sends to the unknown egress '{}'", wire));
    plan.egress.push_back({*id, std::move(decoded.second)});
  }
  for (const auto& mutation : result.state_mutations()) {
    std::size_t spec = specs_.size();
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      if (specs_[i].name == mutation.state_name()) spec = i;
    }
    if (spec == specs_.size()) {
      throw BadAnswer(fmt::format("it changes the unregistered state '{}'", mutation.state_name()));
    }
    const bool modify = mutation.mutation_type() == rr::FromFunction::PersistedValueMutation::MODIFY;
    if (modify && mutation.state_value().typename_() != specs_[spec].type_name) {
      throw BadAnswer(fmt::format("it stores a '{}' in state '{}' of type '{}'",
                                  mutation.state_value().typename_(), mutation.state_name(),
                                  specs_[spec].type_name));
    }
    plan.mutations.push_back({spec, modify, mutation.state_value()});
  }
  return plan;
}

void RemoteFunction::apply(Context& context, Plan& plan) {
  for (Plan::Outgoing& out : plan.outgoing) {
    context.send(out.type, out.id, std::move(out.message));
  }
  for (Plan::Delayed& d : plan.delayed) {
    if (d.cancel) {
      context.cancel_delayed(d.token);
    } else {
      context.send_after(d.delay, d.type, d.id, std::move(d.message), std::move(d.token));
    }
  }
  for (Plan::Egress& e : plan.egress) context.egress(e.egress, e.message);
  if (plan.mutations.empty()) return;
  std::vector<StoredValue>& values = values_of(context.self_id());
  for (const Plan::Mutation& m : plan.mutations) {
    StoredValue& stored = values[m.spec];
    if (m.modify) {
      stored.present = true;
      stored.value = m.value;
      stored.value.set_has_value(true);
      stored.touched = context.now();
    } else {
      stored = StoredValue{};
    }
  }
  bool any = false;
  for (const StoredValue& v : values) any = any || v.present;
  if (!any) values_.erase(context.self_id());  // only addresses that hold a value take room
}

}  // namespace sim::remote
