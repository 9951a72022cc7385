#include "sim/runtime.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/random.h"
#include "sim/trace.h"

namespace sim {

const char* to_string(AsyncStatus status) {
  switch (status) {
    case AsyncStatus::kSuccess: return "success";
    case AsyncStatus::kFailure: return "failure";
    case AsyncStatus::kUnknown: return "unknown";
    case AsyncStatus::kTimeout: return "timeout";
  }
  return "?";
}

void StatefulFunction::on_async_result(Context&, const AsyncResult&) {
  throw std::logic_error("a function started an asynchronous operation but does not handle results");
}

namespace {

const char* kind_name(int kind) {
  static const char* const names[] = {"deliver",     "delayed",    "async",        "timer",
                                      "late-answer", "call-answer", "call-retry", "call-timeout",
                                      "egress",      "job-failed"};
  return names[kind];
}
// Records that are not queued events.
constexpr int kEgressRecord = 8;
constexpr int kJobFailedRecord = 9;

Time saturating_add(Time a, Time b) {
  Time sum;
  return __builtin_add_overflow(a, b, &sum) ? kNever : sum;
}

std::string token_key(AddressRef sender, std::string_view token) {
  std::string key = std::to_string(sender);
  key.push_back('\0');
  key.append(token);
  return key;
}

}  // namespace

Runtime::Runtime(RuntimeOptions options) : options_(options) {
  if (options_.hop_latency < 0) throw std::invalid_argument("hop latency must not be negative");
  queue_.use_fifo_lane_for(options_.hop_latency);
}

Runtime::~Runtime() = default;

TypeId Runtime::declare_type(std::string_view name) {
  for (TypeId t = 0; t < types_.size(); ++t) {
    if (types_[t].name == name) return t;
  }
  FunctionTypeEntry entry;
  entry.name = std::string(name);
  entry.name_hash = hash_bytes(name);
  types_.push_back(std::move(entry));
  TypeStatistics stats;
  stats.name = std::string(name);
  types_stats_.push_back(std::move(stats));
  return static_cast<TypeId>(types_.size() - 1);
}

void Runtime::bind(TypeId type, StatefulFunction* function) { types_.at(type).function = function; }

namespace {

void check_policy(const CallPolicy& policy) {
  if (policy.max_batch == 0) throw std::invalid_argument("a call batch must hold a message");
  if (policy.backoff_initial <= 0) throw std::invalid_argument("backoff must be positive");
  if (!(policy.backoff_multiplier >= 1.0)) throw std::invalid_argument("backoff must not shrink");
}

}  // namespace

void Runtime::bind_remote(TypeId type, StatefulFunction* function, CallEndpoint* endpoint,
                          CallPolicy policy) {
  bind_with_calls(type, function, nullptr, endpoint, policy);
}

void Runtime::bind_remote(TypeId type, CallHandler* handler, CallEndpoint* endpoint,
                          CallPolicy policy) {
  bind_with_calls(type, nullptr, handler, endpoint, policy);
}

void Runtime::bind_with_calls(TypeId type, StatefulFunction* function, CallHandler* handler,
                              CallEndpoint* endpoint, const CallPolicy& policy) {
  check_policy(policy);
  FunctionTypeEntry& entry = types_.at(type);
  entry.function = function;
  entry.handler = handler;
  entry.endpoint = endpoint;
  entry.policy = policy;
  types_stats_[type].remote = true;
}

TypeId Runtime::type_of(std::string_view name) const {
  if (auto type = find_type(name)) return *type;
  throw std::invalid_argument(fmt::format("unknown function type '{}'", name));
}

std::optional<TypeId> Runtime::find_type(std::string_view name) const {
  for (TypeId t = 0; t < types_.size(); ++t) {
    if (types_[t].name == name) return t;
  }
  return std::nullopt;
}

std::optional<EgressId> Runtime::find_egress(std::string_view name) const {
  for (EgressId e = 0; e < egresses_.size(); ++e) {
    if (egresses_[e].name == name) return e;
  }
  return std::nullopt;
}

EgressId Runtime::bind_egress(std::string name, EgressSink* sink) {
  const std::uint64_t hash = hash_bytes(name);
  egresses_.push_back(EgressEntry{std::move(name), hash, sink});
  return static_cast<EgressId>(egresses_.size() - 1);
}

TimerId Runtime::add_timer(std::string name, TimerAction action) {
  const std::uint64_t hash = hash_bytes(name);
  timers_.push_back(TimerEntry{std::move(name), hash, std::move(action)});
  return static_cast<TimerId>(timers_.size() - 1);
}

// ---- addresses ---------------------------------------------------------------------------------

AddressRef Runtime::intern(TypeId type, std::string_view id) {
  IdTable& ids = types_.at(type).ids;
  if (auto it = ids.find(id); it != ids.end()) return it->second;
  AddressRef ref;
  if (!free_slots_.empty()) {
    ref = free_slots_.back();
    free_slots_.pop_back();
  } else {
    ref = static_cast<AddressRef>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[ref];
  slot.type = type;
  slot.references = 0;
  slot.state_values = 0;
  slot.id.assign(id);
  slot.id_hash = hash_bytes(id);
  ids.emplace(slot.id, ref);
  return ref;
}

void Runtime::release(AddressRef ref) {
  if (ref == kNoAddress) return;
  Slot& slot = slots_[ref];
  if (--slot.references > 0) return;
  types_[slot.type].ids.erase(slot.id);
  free_slots_.push_back(ref);
}

void Runtime::forget_unreferenced() {
  std::vector<bool> is_free(slots_.size(), false);
  for (AddressRef ref : free_slots_) is_free[ref] = true;
  for (AddressRef ref = 0; ref < slots_.size(); ++ref) {
    if (is_free[ref] || slots_[ref].references > 0) continue;
    types_[slots_[ref].type].ids.erase(slots_[ref].id);
    free_slots_.push_back(ref);
  }
}

Address Runtime::address_of(AddressRef ref) const {
  return Address{types_[slots_[ref].type].name, slots_[ref].id};
}

void Runtime::state_added(AddressRef ref) {
  Slot& slot = slots_[ref];
  ++slot.references;
  if (slot.state_values++ == 0) {
    TypeStatistics& stats = types_stats_[slot.type];
    if (++stats.addresses_with_state > stats.peak_addresses_with_state) {
      stats.peak_addresses_with_state = stats.addresses_with_state;
    }
  }
}

void Runtime::state_removed(AddressRef ref) {
  Slot& slot = slots_[ref];
  if (--slot.state_values == 0) --types_stats_[slot.type].addresses_with_state;
  release(ref);
}

// ---- scheduling --------------------------------------------------------------------------------

std::uint32_t Runtime::allocate_event() {
  if (!free_events_.empty()) {
    const std::uint32_t index = free_events_.back();
    free_events_.pop_back();
    return index;
  }
  events_.emplace_back();
  return static_cast<std::uint32_t>(events_.size() - 1);
}

void Runtime::free_event(std::uint32_t index) {
  PendingEvent& event = events_[index];
  release(event.target);
  release(event.caller);
  event = PendingEvent{};
  free_events_.push_back(index);
}

std::uint32_t Runtime::store(PendingEvent event) {
  // A pending event keeps its target and sender alive until it is processed or cancelled.
  if (event.target != kNoAddress) retain(event.target);
  if (event.caller != kNoAddress) retain(event.caller);
  const std::uint32_t index = allocate_event();
  events_[index] = std::move(event);
  return index;
}

void Runtime::note_pending() {
  if (queue_.size() > peak_pending_events_) peak_pending_events_ = queue_.size();
}

void Runtime::enqueue_message(EventKind kind, AddressRef from, AddressRef to, Time delay,
                              Message message, CancellationToken token) {
  if (capture_ != nullptr) {
    capture_->push_back(CapturedEffect{
        kind == EventKind::kDelayed ? CapturedEffect::Kind::kDelayed : CapturedEffect::Kind::kSend,
        address_of(to), delay, std::move(message), std::move(token), {}});
    return;
  }
  PendingEvent event;
  event.kind = kind;
  event.target = to;
  event.caller = from;
  event.message = std::move(message);
  event.token = token;
  const std::uint32_t index = store(std::move(event));
  // A token reused while its message is pending now names the newer message.
  if (!token.empty()) tokens_[token_key(from, token)] = index;
  queue_.push_after(now_, delay, index);
  note_pending();
}

void Runtime::schedule_at(Time at, PendingEvent event) {
  if (at < now_) throw std::logic_error("an event was scheduled in the past");
  queue_.push(at, store(std::move(event)));
  note_pending();
}

void Runtime::ingest(Time at, TypeId type, std::string_view id, Message message) {
  PendingEvent event;
  event.kind = EventKind::kDeliver;
  event.target = intern(type, id);
  event.message = std::move(message);
  schedule_at(at, std::move(event));
}

void Runtime::schedule_timer(Time at, TimerId timer, std::uint64_t argument) {
  PendingEvent event;
  event.kind = EventKind::kTimer;
  event.timer = timer;
  event.argument = argument;
  schedule_at(at, std::move(event));
}

void Runtime::cancel(AddressRef sender, std::string_view token) {
  if (capture_ != nullptr) {
    capture_->push_back(
        CapturedEffect{CapturedEffect::Kind::kCancel, {}, 0, nullptr, std::string(token), {}});
    return;
  }
  auto it = tokens_.find(token_key(sender, token));
  if (it == tokens_.end()) return;
  events_[it->second].cancelled = true;
  tokens_.erase(it);
}

// ---- running -----------------------------------------------------------------------------------

void Runtime::run_until(Time horizon) { run_until(horizon, nullptr); }

bool Runtime::run_until(Time horizon, const std::function<bool()>& keep_going) {
  while (!failure_ && !queue_.empty()) {
    const QueuedEvent next = queue_.top();
    if (next.time > horizon) return true;
    queue_.pop();
    process(next);
    if (keep_going && (events_processed_ & 0xFFFF) == 0 && !keep_going()) return false;
  }
  return !failure_;
}

void Runtime::process(const QueuedEvent& queued) {
  PendingEvent& event = events_[queued.payload];
  if (event.cancelled) {
    // A cancelled event leaves no trace: the clock does not move, nothing is recorded.
    free_event(queued.payload);
    return;
  }
  now_ = queued.time;
  ++events_processed_;
  if (!event.token.empty()) {
    // Only if the token still names this message (it may have been reused for a newer one).
    auto it = tokens_.find(token_key(event.caller, event.token));
    if (it != tokens_.end() && it->second == queued.payload) tokens_.erase(it);
  }
  record(event.kind, event);

  const AddressRef target = event.target;
  switch (event.kind) {
    case EventKind::kTimer: {
      const std::uint64_t argument = event.argument;
      const TimerId timer = event.timer;
      free_event(queued.payload);
      timers_[timer].action(*this, argument);
      return;
    }
    case EventKind::kDeliver:
    case EventKind::kDelayed: {
      // The handler may schedule events, which can grow events_ and invalidate `event`, so the
      // message is moved out first.
      const Message message = std::move(event.message);
      const AddressRef caller = event.caller;
      if (types_[slots_[target].type].endpoint != nullptr) {
        deliver_through_call(target, caller, message);
      } else {
        invoke(target, caller, message, nullptr);
      }
      free_event(queued.payload);
      return;
    }
    case EventKind::kAsync: {
      const Message value = std::move(event.message);
      const Message metadata = std::move(event.metadata);
      const AsyncStatus status = event.status;
      if (status == AsyncStatus::kTimeout) {
        ++async_stats_.timed_out;
        observer_->on_async_timeout(now_);
      }
      FunctionTypeEntry& type = types_[slots_[target].type];
      ++types_stats_[slots_[target].type].invocations;
      Context context(*this, target, kNoAddress);
      type.function->on_async_result(context, AsyncResult{status, value, metadata});
      free_event(queued.payload);
      return;
    }
    case EventKind::kLateAnswer:
      ++async_stats_.late_answers_dropped;
      observer_->on_late_answer(now_);
      free_event(queued.payload);
      return;
    case EventKind::kCallAnswer: {
      const bool succeeded = event.status == AsyncStatus::kSuccess;
      const std::string failure = std::move(event.failure);
      free_event(queued.payload);
      on_call_answer(target, succeeded, failure);
      return;
    }
    case EventKind::kCallRetry:
      free_event(queued.payload);
      start_attempt(target, calls_.at(target));
      return;
    case EventKind::kCallTimeout:
      free_event(queued.payload);
      on_call_timeout(target);
      return;
  }
}

void Runtime::invoke(AddressRef target, AddressRef caller, const Message& message,
                     const CallInfo* call) {
  const TypeId type = slots_[target].type;
  StatefulFunction* function = types_[type].function;
  if (function == nullptr) {
    throw std::runtime_error(fmt::format("no function is bound to type '{}'", types_[type].name));
  }
  ++types_stats_[type].invocations;
  Context context(*this, target, caller, call);
  function->invoke(context, message);
}

// ---- call semantics ----------------------------------------------------------------------------

void Runtime::deliver_through_call(AddressRef target, AddressRef caller, Message message) {
  // The batch holds its own references, released once the message is handled.
  retain(target);
  if (caller != kNoAddress) retain(caller);
  CallState& state = calls_[target];
  state.waiting.push_back(CallMessage{std::move(message), caller});
  if (!state.in_flight) start_call(target, state);
}

void Runtime::start_call(AddressRef target, CallState& state) {
  const TypeId type = slots_[target].type;
  const CallPolicy& policy = types_[type].policy;
  state.batch.clear();
  while (!state.waiting.empty() && state.batch.size() < policy.max_batch) {
    state.batch.push_back(std::move(state.waiting.front()));
    state.waiting.pop_front();
  }
  state.in_flight = true;
  state.started = now_;
  state.deadline = saturating_add(now_, policy.call_timeout);
  state.attempts = 0;
  state.next_backoff = policy.backoff_initial;
  state.backoff_waited = 0;
  state.attempt_abandoned = false;
  CallStatistics& stats = types_stats_[type].calls;
  ++stats.calls;
  if (++stats.in_flight > stats.peak_in_flight) stats.peak_in_flight = stats.in_flight;
  if (state.batch.size() > stats.largest_batch) stats.largest_batch = state.batch.size();
  start_attempt(target, state);
}

void Runtime::start_attempt(AddressRef target, CallState& state) {
  const TypeId type = slots_[target].type;
  // Keys the endpoint's draws: the same target, first sender and first message give the same
  // key in every configuration, so compared runs see the same network for the same call.
  const CallMessage& first = state.batch.front();
  std::uint64_t key = combine_keys(slots_[target].id_hash, state.next_call);
  if (first.caller != kNoAddress) key = combine_keys(key, slots_[first.caller].id_hash);
  key = combine_keys(key, content_hash(first.message));
  const CallAttempt attempt = types_[type].endpoint->attempt(now_, address_of(target), key,
                                                             state.attempts, state.batch.size());
  ++state.attempts;
  CallStatistics& stats = types_stats_[type].calls;
  ++stats.attempts;
  if (state.resending) {
    ++stats.resends;
    state.resending = false;
  } else if (state.attempts > 1) {
    ++stats.retries;
    observer_->on_call_retry(now_, type);
  }
  const Time answer = saturating_add(now_, attempt.latency);
  if (attempt.latency == kNever || answer > state.deadline) {
    // No answer within the call timeout: the call is abandoned there.
    state.last_failure = attempt.latency == kNever ? "no answer" : "answer too late";
    state.attempt_abandoned = true;
    schedule_call_event(EventKind::kCallTimeout, target, state.deadline);
    return;
  }
  if (attempt.succeeded && types_[type].handler != nullptr) {
    types_[type].handler->send(*this, target, state.batch);
  }
  schedule_call_event(EventKind::kCallAnswer, target, answer, attempt.succeeded, attempt.failure);
}

void Runtime::on_call_answer(AddressRef target, bool succeeded, const std::string& failure) {
  CallState& state = calls_.at(target);
  if (!succeeded) {
    on_attempt_failed(target, state, failure);
    return;
  }
  const TypeId type = slots_[target].type;
  if (CallHandler* handler = types_[type].handler) {
    Context context(*this, target, kNoAddress);
    const CallOutcome outcome = handler->receive(context, state.batch);
    switch (outcome.kind) {
      case CallOutcome::Kind::kHandled: break;
      case CallOutcome::Kind::kFailed:
        on_attempt_failed(target, state, outcome.detail);
        return;
      case CallOutcome::Kind::kRejected:
        ++types_stats_[type].calls.failed_attempts;
        observer_->on_call_attempt_failed(now_, type);
        fail_job(fmt::format("call to {} failed: {}", address_of(target).to_string(),
                             outcome.detail));
        return;
      case CallOutcome::Kind::kResend:
        state.resending = true;
        start_attempt(target, state);
        return;
    }
  }
  complete_call(target, state);
}

void Runtime::on_attempt_failed(AddressRef target, CallState& state, const std::string& failure) {
  const TypeId type = slots_[target].type;
  CallStatistics& stats = types_stats_[type].calls;
  ++stats.failed_attempts;
  observer_->on_call_attempt_failed(now_, type);
  state.last_failure = failure;
  const Time retry = saturating_add(now_, state.next_backoff);
  if (retry >= state.deadline) {
    schedule_call_event(EventKind::kCallTimeout, target, state.deadline);
    return;
  }
  state.backoff_waited += state.next_backoff;
  stats.backoff_waited += state.next_backoff;
  const double grown = static_cast<double>(state.next_backoff) *
                       types_[type].policy.backoff_multiplier;
  state.next_backoff = grown >= static_cast<double>(kNever) ? kNever
                                                            : static_cast<Time>(std::llround(grown));
  schedule_call_event(EventKind::kCallRetry, target, retry);
}

void Runtime::complete_call(AddressRef target, CallState& state) {
  const TypeId type = slots_[target].type;
  CallStatistics& stats = types_stats_[type].calls;
  const CallInfo info{state.started, state.attempts, state.backoff_waited, state.batch.size()};
  std::vector<CallMessage> batch = std::move(state.batch);
  state.batch.clear();
  state.in_flight = false;
  ++state.next_call;
  --stats.in_flight;
  stats.messages += batch.size();
  ++stats.completed_calls;
  // Handlers only schedule events, never deliver, so `state` stays valid; the batch's references
  // keep the address alive until all of it is handled. A CallHandler has already handled it.
  const bool embedded = types_[type].handler == nullptr;
  for (const CallMessage& m : batch) {
    observer_->on_call_delivered(now_, type, m.caller == kNoAddress ? std::string_view()
                                                                    : slots_[m.caller].id, info);
    if (embedded) {
      invoke(target, m.caller, m.message, &info);
    } else {
      ++types_stats_[type].invocations;
    }
  }
  for (const CallMessage& m : batch) {
    release(m.caller);
    release(target);
  }
  CallState& after = calls_.at(target);
  if (!after.waiting.empty()) {
    start_call(target, after);
  } else {
    calls_.erase(target);
  }
}

void Runtime::on_call_timeout(AddressRef target) {
  const CallState& state = calls_.at(target);
  if (state.attempt_abandoned) {
    // The attempt still under way is abandoned: it failed too.
    ++types_stats_[slots_[target].type].calls.failed_attempts;
    observer_->on_call_attempt_failed(now_, slots_[target].type);
  }
  fail_job(fmt::format("call to {} failed: no successful answer within the call timeout of {} "
                       "({} attempts since {}, last: {})",
                       address_of(target).to_string(),
                       format_duration(types_[slots_[target].type].policy.call_timeout),
                       state.attempts, format_instant(state.started), state.last_failure));
}

void Runtime::fail_job(std::string cause) {
  const std::uint64_t words[] = {static_cast<std::uint64_t>(now_), kJobFailedRecord,
                                 hash_bytes(cause)};
  static constexpr std::uint8_t kParts[] = {kTimeIngredient, kKindIngredient, kContentIngredient};
  fingerprints_.add(words, kParts, std::size(words));
  if (trace_) trace_->write(TraceRecord{now_, kind_name(kJobFailedRecord), "job", cause, nullptr});
  failure_ = JobFailure{now_, std::move(cause)};
}

void Runtime::schedule_call_event(EventKind kind, AddressRef target, Time at, bool succeeded,
                                  std::string failure) {
  PendingEvent event;
  event.kind = kind;
  event.target = target;
  event.status = succeeded ? AsyncStatus::kSuccess : AsyncStatus::kFailure;
  event.failure = std::move(failure);
  schedule_at(at, std::move(event));
}

void Runtime::emit_egress(EgressId egress, const Message& message) {
  EgressEntry& entry = egresses_.at(egress);
  if (capture_ != nullptr) {
    capture_->push_back(CapturedEffect{CapturedEffect::Kind::kEgress, {}, 0, message, {}, entry.name});
    return;
  }
  const std::uint64_t words[] = {static_cast<std::uint64_t>(now_), kEgressRecord, entry.name_hash,
                                 message_type_hash(message), content_hash(message)};
  static constexpr std::uint8_t kParts[] = {kTimeIngredient, kKindIngredient, kAddressIngredient,
                                            kMessageTypeIngredient, kContentIngredient};
  fingerprints_.add(words, kParts, std::size(words));
  if (trace_) {
    trace_->write(TraceRecord{now_, kind_name(kEgressRecord), "egress/" + entry.name, {},
                              message.get()});
  }
  entry.sink->emit(now_, message);
}

// ---- fingerprint and trace ---------------------------------------------------------------------

std::uint64_t Runtime::message_type_hash(const Message& message) {
  if (!message) return 0;
  const std::type_index type(typeid(*message));
  auto it = type_hashes_.find(type);
  if (it != type_hashes_.end()) return it->second;
  return type_hashes_[type] = hash_bytes(message->GetDescriptor()->full_name());
}

std::uint64_t Runtime::content_hash(const Message& message) {
  if (!message) return 0;
  message->SerializeToString(&serialize_buffer_);
  return hash_bytes(serialize_buffer_);
}

void Runtime::record(EventKind kind, const PendingEvent& event) {
  const auto kind_index = static_cast<std::uint64_t>(kind);
  if (kind == EventKind::kTimer) {
    const std::uint64_t words[] = {static_cast<std::uint64_t>(now_), kind_index,
                                   timers_[event.timer].name_hash, event.argument};
    static constexpr std::uint8_t kParts[] = {kTimeIngredient, kKindIngredient, kAddressIngredient,
                                              kContentIngredient};
    fingerprints_.add(words, kParts, std::size(words));
    if (trace_) {
      trace_->write(TraceRecord{now_, kind_name(static_cast<int>(kind)),
                                "timer/" + timers_[event.timer].name, std::to_string(event.argument),
                                nullptr});
    }
    return;
  }
  const Slot& target = slots_[event.target];
  const std::uint64_t caller_hash =
      event.caller == kNoAddress
          ? 0
          : types_[slots_[event.caller].type].name_hash ^ slots_[event.caller].id_hash;
  const std::uint64_t words[] = {static_cast<std::uint64_t>(now_),
                                 kind_index | (static_cast<std::uint64_t>(event.status) << 8),
                                 types_[target.type].name_hash,
                                 target.id_hash,
                                 caller_hash,
                                 message_type_hash(event.message),
                                 content_hash(event.message)};
  static constexpr std::uint8_t kParts[] = {kTimeIngredient,    kKindIngredient,
                                            kAddressIngredient, kAddressIngredient,
                                            kAddressIngredient, kMessageTypeIngredient,
                                            kContentIngredient};
  fingerprints_.add(words, kParts, std::size(words));
  if (trace_) {
    std::string from =
        event.caller == kNoAddress ? std::string() : address_of(event.caller).to_string();
    if (kind == EventKind::kAsync || kind == EventKind::kLateAnswer) from = to_string(event.status);
    if (kind == EventKind::kCallAnswer) {
      from = event.status == AsyncStatus::kSuccess ? "answered" : "failed: " + event.failure;
    }
    trace_->write(TraceRecord{now_, kind_name(static_cast<int>(kind)),
                              address_of(event.target).to_string(), std::move(from),
                              event.message.get()});
  }
}

// ---- context -----------------------------------------------------------------------------------

Address Context::caller() const {
  if (caller_ == kNoAddress) throw std::logic_error("this message has no caller");
  return runtime_.address_of(caller_);
}

void Context::send(TypeId type, std::string_view id, Message message) {
  const AddressRef to = runtime_.intern(type, id);
  runtime_.enqueue_message(Runtime::EventKind::kDeliver, self_, to, runtime_.options_.hop_latency,
                           std::move(message), {});
}

void Context::send(const Address& to, Message message) {
  send(runtime_.type_of(to.type), to.id, std::move(message));
}

void Context::reply(Message message) {
  if (caller_ == kNoAddress) {
    throw std::logic_error(fmt::format("{} replied to a message that has no caller",
                                       runtime_.address_of(self_).to_string()));
  }
  runtime_.enqueue_message(Runtime::EventKind::kDeliver, self_, caller_,
                           runtime_.options_.hop_latency, std::move(message), {});
}

void Context::send_after(Time delay, TypeId type, std::string_view id, Message message,
                         CancellationToken token) {
  if (delay < 0) throw std::invalid_argument("send_after: negative delay");
  const AddressRef to = runtime_.intern(type, id);
  runtime_.enqueue_message(Runtime::EventKind::kDelayed, self_, to, delay, std::move(message),
                           std::move(token));
}

void Context::cancel_delayed(std::string_view token) { runtime_.cancel(self_, token); }

void Context::egress(EgressId egress, const Message& message) {
  runtime_.emit_egress(egress, message);
}

void Context::start_async(const AsyncOutcome& outcome, Message metadata, Time timeout) {
  if (outcome.delay < 0 || timeout < 0) throw std::invalid_argument("start_async: negative delay");
  ++runtime_.async_stats_.started;
  if (runtime_.capture_ != nullptr) {
    // Hosted: no clock runs, so the operation completes at once, as a blocking call would.
    if (outcome.delay == kNever && timeout == kNever) {
      ++runtime_.async_stats_.never_answered;
      return;
    }
    const bool in_time = outcome.delay <= timeout;
    runtime_.immediate_async_.push_back(
        Runtime::ImmediateAsync{self_, in_time ? outcome.status : AsyncStatus::kTimeout,
                                in_time ? outcome.value : nullptr, std::move(metadata)});
    return;
  }
  Runtime::PendingEvent completion;
  completion.kind = Runtime::EventKind::kAsync;
  completion.target = self_;
  completion.metadata = std::move(metadata);
  if (outcome.delay <= timeout) {
    if (outcome.delay == kNever) {  // hangs, and nothing times it out
      ++runtime_.async_stats_.never_answered;
      return;
    }
    completion.status = outcome.status;
    completion.message = outcome.value;
    runtime_.schedule_at(now() + outcome.delay, std::move(completion));
    return;
  }
  completion.status = AsyncStatus::kTimeout;
  runtime_.schedule_at(now() + timeout, std::move(completion));
  if (outcome.delay == kNever) {
    ++runtime_.async_stats_.never_answered;
    return;
  }
  Runtime::PendingEvent late;
  late.kind = Runtime::EventKind::kLateAnswer;
  late.target = self_;
  late.status = outcome.status;
  late.message = outcome.value;
  runtime_.schedule_at(now() + outcome.delay, std::move(late));
}

}  // namespace sim
