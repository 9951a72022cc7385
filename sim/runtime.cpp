#include "sim/runtime.h"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/trace.h"

namespace sim {

const char* to_string(AsyncStatus status) {
  switch (status) {
    case AsyncStatus::kSuccess: return "success";
    case AsyncStatus::kFailure: return "failure";
    case AsyncStatus::kUnknown: return "unknown";
  }
  return "?";
}

void StatefulFunction::on_async_result(Context&, const AsyncResult&) {
  throw std::logic_error("a function started an asynchronous operation but does not handle results");
}

namespace {

const char* kind_name(int kind) {
  static const char* const names[] = {"deliver", "delayed", "async", "timer", "egress"};
  return names[kind];
}
constexpr int kEgressRecord = 4;

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
  types_stats_.push_back(TypeStatistics{std::string(name)});
  return static_cast<TypeId>(types_.size() - 1);
}

void Runtime::bind(TypeId type, StatefulFunction* function) { types_.at(type).function = function; }

TypeId Runtime::type_of(std::string_view name) const {
  for (TypeId t = 0; t < types_.size(); ++t) {
    if (types_[t].name == name) return t;
  }
  throw std::invalid_argument(fmt::format("unknown function type '{}'", name));
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

void Runtime::enqueue_message(EventKind kind, AddressRef from, AddressRef to, Time delay,
                              Message message, CancellationToken token) {
  const std::uint32_t index = allocate_event();
  PendingEvent& event = events_[index];
  event.kind = kind;
  event.target = to;
  event.caller = from;
  event.message = std::move(message);
  retain(to);
  if (from != kNoAddress) retain(from);
  if (!token.empty()) {
    // A token reused while its message is pending now names the newer message.
    tokens_[token_key(from, token)] = index;
    event.token = std::move(token);
  }
  queue_.push_after(now_, delay, index);
  if (queue_.size() > peak_pending_events_) peak_pending_events_ = queue_.size();
}

void Runtime::ingest(Time at, TypeId type, std::string_view id, Message message) {
  if (at < now_) throw std::logic_error("ingest into the past");
  const std::uint32_t index = allocate_event();
  PendingEvent& event = events_[index];
  event.kind = EventKind::kDeliver;
  event.target = intern(type, id);
  event.message = std::move(message);
  retain(event.target);
  queue_.push(at, index);
  if (queue_.size() > peak_pending_events_) peak_pending_events_ = queue_.size();
}

void Runtime::schedule_timer(Time at, TimerId timer, std::uint64_t argument) {
  if (at < now_) throw std::logic_error("timer scheduled in the past");
  const std::uint32_t index = allocate_event();
  PendingEvent& event = events_[index];
  event.kind = EventKind::kTimer;
  event.timer = timer;
  event.argument = argument;
  queue_.push(at, index);
  if (queue_.size() > peak_pending_events_) peak_pending_events_ = queue_.size();
}

void Runtime::cancel(AddressRef sender, std::string_view token) {
  auto it = tokens_.find(token_key(sender, token));
  if (it == tokens_.end()) return;
  events_[it->second].cancelled = true;
  tokens_.erase(it);
}

// ---- running -----------------------------------------------------------------------------------

void Runtime::run_until(Time horizon) { run_until(horizon, nullptr); }

bool Runtime::run_until(Time horizon, const std::function<bool()>& keep_going) {
  while (!queue_.empty()) {
    const QueuedEvent next = queue_.top();
    if (next.time > horizon) return true;
    queue_.pop();
    process(next);
    if (keep_going && (events_processed_ & 0xFFFF) == 0 && !keep_going()) return false;
  }
  return true;
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

  switch (event.kind) {
    case EventKind::kTimer: {
      const TimerEntry& timer = timers_[event.timer];
      const std::uint64_t argument = event.argument;
      free_event(queued.payload);
      timer.action(*this, argument);
      return;
    }
    case EventKind::kDeliver:
    case EventKind::kDelayed:
    case EventKind::kAsync: {
      const AddressRef target = event.target;
      FunctionTypeEntry& type = types_[slots_[target].type];
      if (type.function == nullptr) {
        throw std::runtime_error(fmt::format("no function is bound to type '{}'", type.name));
      }
      ++types_stats_[slots_[target].type].invocations;
      // The handler may schedule events, which can grow events_ and invalidate `event`, so the
      // message and metadata are moved out first.
      const Message message = std::move(event.message);
      const Message metadata = std::move(event.metadata);
      const AddressRef caller = event.caller;
      const EventKind kind = event.kind;
      const AsyncStatus status = event.status;
      Context context(*this, target, kind == EventKind::kAsync ? kNoAddress : caller);
      if (kind == EventKind::kAsync) {
        type.function->on_async_result(context, AsyncResult{status, message, metadata});
      } else {
        type.function->invoke(context, message);
      }
      free_event(queued.payload);
      return;
    }
  }
}

void Runtime::emit_egress(EgressId egress, const Message& message) {
  EgressEntry& entry = egresses_.at(egress);
  const std::uint64_t words[] = {static_cast<std::uint64_t>(now_), kEgressRecord, entry.name_hash,
                                 message_type_hash(message), content_hash(message)};
  fingerprint_.add(words, std::size(words));
  if (trace_) {
    trace_->write(TraceRecord{now_, kind_name(kEgressRecord), "egress/" + entry.name, {},
                              message.get()});
  }
  entry.sink->emit(now_, message);
}

// ---- fingerprint and trace ---------------------------------------------------------------------

std::uint64_t Runtime::message_type_hash(const Message& message) {
  if (!message) return 0;
  const google::protobuf::Descriptor* descriptor = message->GetDescriptor();
  auto it = type_hashes_.find(descriptor);
  if (it != type_hashes_.end()) return it->second;
  return type_hashes_[descriptor] = hash_bytes(descriptor->full_name());
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
    fingerprint_.add(words, std::size(words));
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
  fingerprint_.add(words, std::size(words));
  if (trace_) {
    std::string from =
        event.caller == kNoAddress ? std::string() : address_of(event.caller).to_string();
    if (kind == EventKind::kAsync) from = to_string(event.status);
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

void Context::start_async(const AsyncOutcome& outcome, Message metadata) {
  if (outcome.delay < 0) throw std::invalid_argument("start_async: negative delay");
  const std::uint32_t index = runtime_.allocate_event();
  Runtime::PendingEvent& event = runtime_.events_[index];
  event.kind = Runtime::EventKind::kAsync;
  event.status = outcome.status;
  event.target = self_;
  event.message = outcome.value;
  event.metadata = std::move(metadata);
  runtime_.retain(self_);
  runtime_.queue_.push(now() + outcome.delay, index);
  if (runtime_.queue_.size() > runtime_.peak_pending_events_) {
    runtime_.peak_pending_events_ = runtime_.queue_.size();
  }
}

}  // namespace sim
