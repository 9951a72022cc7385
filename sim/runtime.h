#pragma once
// The function runtime, shaped like Apache Flink Stateful Functions, on a virtual clock.
//
// - Addresses (type + id); each address handles one message at a time, and a message is handled
//   in zero virtual time, so handlers never interleave.
// - Persisted values per address (PersistedValue<T>): get, set, clear, optional expire-after-write.
// - send (arrives one internal hop later), send_after (an exact delay, optionally with a
//   cancellation token), cancel, reply to the caller, egress.
// - Asynchronous operations: started by a function with the outcome the outside world decided
//   (delay, success/failure/unknown, value) and metadata; completed later, to the same address.
// - Timers for the world outside the functions (traffic generators) and ingress.
//
// Every processed event is folded into the fingerprint and, when a trace is attached, written to
// it. Ordering is EventQueue's rule: (time, then scheduling order).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/address.h"
#include "sim/event_queue.h"
#include "sim/fingerprint.h"
#include "sim/message.h"
#include "sim/time.h"

namespace sim {

class Context;
class Runtime;
class TraceWriter;

enum class AsyncStatus : std::uint8_t { kSuccess, kFailure, kUnknown };
const char* to_string(AsyncStatus status);

// What the outside world decided about an asynchronous operation when it started.
struct AsyncOutcome {
  Time delay = 0;
  AsyncStatus status = AsyncStatus::kSuccess;
  Message value;  // the result on success; may be empty otherwise
};

// What the function sees when the operation completes.
struct AsyncResult {
  AsyncStatus status;
  const Message& value;
  const Message& metadata;  // as given when the operation started
};

class StatefulFunction {
 public:
  virtual ~StatefulFunction() = default;
  virtual void invoke(Context& context, const Message& message) = 0;
  virtual void on_async_result(Context& context, const AsyncResult& result);
};

// Receives egress records (e.g. alerts) at the virtual time they are emitted.
class EgressSink {
 public:
  virtual ~EgressSink() = default;
  virtual void emit(Time now, const Message& message) = 0;
};

// Something outside the functions that acts at scheduled times (a traffic source). The argument
// is what schedule_timer was given; it goes into the fingerprint.
using TimerAction = std::function<void(Runtime& runtime, std::uint64_t argument)>;

using EgressId = std::uint32_t;
using TimerId = std::uint32_t;
// Identifies a delayed message for cancellation; scoped to the address that sent it.
using CancellationToken = std::string;

struct RuntimeOptions {
  Time hop_latency = kMillisecond;  // delivery delay of one internal message (send, reply)
};

struct TypeStatistics {
  std::string name;
  std::uint64_t invocations = 0;
  std::uint64_t addresses_with_state = 0;
  std::uint64_t peak_addresses_with_state = 0;
};

class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Set-up, before run_until.
  TypeId declare_type(std::string_view name);  // idempotent
  void bind(TypeId type, StatefulFunction* function);
  EgressId bind_egress(std::string name, EgressSink* sink);
  TimerId add_timer(std::string name, TimerAction action);
  void set_trace(TraceWriter* trace) { trace_ = trace; }
  // A performance hint: send_after with this delay will be common (e.g. a fraud window), so those
  // messages wait in a FIFO lane instead of the heap. Never changes the order of events.
  void expect_fixed_delay(Time delay) { queue_.use_fifo_lane_for(delay); }

  // The outside world.
  void ingest(Time at, TypeId type, std::string_view id, Message message);
  void schedule_timer(Time at, TimerId timer, std::uint64_t argument);

  // Runs every event stamped at or before `horizon`, nothing after it.
  void run_until(Time horizon);
  // Runs events while `keep_going` says so (checked between events) up to `horizon`. Returns
  // false when it stopped early.
  bool run_until(Time horizon, const std::function<bool()>& keep_going);

  Time now() const { return now_; }
  const Fingerprint& fingerprint() const { return fingerprint_; }
  std::uint64_t events_processed() const { return events_processed_; }
  std::size_t pending_events() const { return queue_.size(); }
  std::size_t peak_pending_events() const { return peak_pending_events_; }
  std::size_t live_addresses() const { return slots_.size() - free_slots_.size(); }
  const std::vector<TypeStatistics>& type_statistics() const { return types_stats_; }
  const std::string& type_name(TypeId type) const { return types_[type].name; }
  TypeId type_of(std::string_view name) const;  // throws if unknown

 private:
  friend class Context;
  template <class T>
  friend class PersistedValue;

  enum class EventKind : std::uint8_t { kDeliver, kDelayed, kAsync, kTimer };

  struct PendingEvent {
    EventKind kind = EventKind::kDeliver;
    bool cancelled = false;
    AsyncStatus status = AsyncStatus::kSuccess;
    AddressRef target = kNoAddress;
    AddressRef caller = kNoAddress;
    TimerId timer = 0;
    std::uint64_t argument = 0;
    Message message;
    Message metadata;
    CancellationToken token;
  };

  struct Slot {
    TypeId type = 0;
    std::uint32_t references = 0;  // pending events naming it + state values it holds
    std::uint32_t state_values = 0;
    std::uint64_t id_hash = 0;
    std::string id;
  };

  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using IdTable = std::unordered_map<std::string, AddressRef, TransparentHash, std::equal_to<>>;

  struct FunctionTypeEntry {
    std::string name;
    std::uint64_t name_hash = 0;
    StatefulFunction* function = nullptr;
    IdTable ids;
  };
  struct EgressEntry {
    std::string name;
    std::uint64_t name_hash = 0;
    EgressSink* sink = nullptr;
  };
  struct TimerEntry {
    std::string name;
    std::uint64_t name_hash = 0;
    TimerAction action;
  };

  // Addresses.
  AddressRef intern(TypeId type, std::string_view id);
  void retain(AddressRef ref) { ++slots_[ref].references; }
  void release(AddressRef ref);
  Address address_of(AddressRef ref) const;
  void state_added(AddressRef ref);
  void state_removed(AddressRef ref);

  // Events.
  std::uint32_t allocate_event();
  void free_event(std::uint32_t index);
  void enqueue_message(EventKind kind, AddressRef from, AddressRef to, Time delay, Message message,
                       CancellationToken token);
  void cancel(AddressRef sender, std::string_view token);
  void process(const QueuedEvent& queued);
  void emit_egress(EgressId egress, const Message& message);

  // Fingerprint and trace.
  std::uint64_t message_type_hash(const Message& message);
  std::uint64_t content_hash(const Message& message);
  void record(EventKind kind, const PendingEvent& event);

  RuntimeOptions options_;
  Time now_ = 0;
  EventQueue queue_;
  std::vector<PendingEvent> events_;
  std::vector<std::uint32_t> free_events_;
  std::vector<Slot> slots_;
  std::vector<AddressRef> free_slots_;
  std::vector<FunctionTypeEntry> types_;
  std::vector<TypeStatistics> types_stats_;
  std::vector<EgressEntry> egresses_;
  std::vector<TimerEntry> timers_;
  // Pending delayed messages that carry a token, by (sender, token).
  std::unordered_map<std::string, std::uint32_t> tokens_;
  std::unordered_map<const google::protobuf::Descriptor*, std::uint64_t> type_hashes_;
  std::string serialize_buffer_;
  Fingerprint fingerprint_;
  TraceWriter* trace_ = nullptr;
  std::uint64_t events_processed_ = 0;
  std::size_t peak_pending_events_ = 0;
};

// What a function sees while it handles one message.
class Context {
 public:
  Time now() const { return runtime_.now_; }
  Address self() const { return runtime_.address_of(self_); }
  const std::string& self_id() const { return runtime_.slots_[self_].id; }
  bool has_caller() const { return caller_ != kNoAddress; }
  // The caller's address; needs has_caller().
  Address caller() const;

  void send(TypeId type, std::string_view id, Message message);
  void send(const Address& to, Message message);
  // Replies to the caller; a message from ingress has none, and replying to it is an error.
  void reply(Message message);
  // Delivers after exactly `delay` (no hop latency added).
  void send_after(Time delay, TypeId type, std::string_view id, Message message,
                  CancellationToken token = {});
  // Cancels this address's pending delayed message with the token; a token already delivered,
  // cancelled or never used is a no-op.
  void cancel_delayed(std::string_view token);
  void egress(EgressId egress, const Message& message);
  void start_async(const AsyncOutcome& outcome, Message metadata);

  Runtime& runtime() { return runtime_; }

 private:
  friend class Runtime;
  template <class T>
  friend class PersistedValue;
  Context(Runtime& runtime, AddressRef self, AddressRef caller)
      : runtime_(runtime), self_(self), caller_(caller) {}

  Runtime& runtime_;
  AddressRef self_;
  AddressRef caller_;
};

// A value persisted per address of one function type. Expire-after-write: a value set at t with
// ttl d is visible up to t + d - 1 and gone from t + d on (expired values are dropped when read).
template <class T>
class PersistedValue {
 public:
  explicit PersistedValue(std::string name, Time ttl = 0) : name_(std::move(name)), ttl_(ttl) {}

  const std::string& name() const { return name_; }
  Time ttl() const { return ttl_; }

  const T* get(Context& context) {
    Entry* entry = find(context.self_);
    if (entry == nullptr) return nullptr;
    if (ttl_ > 0 && context.now() >= entry->written + ttl_) {
      erase(context, *entry);
      return nullptr;
    }
    return &entry->value;
  }

  void set(Context& context, T value) {
    if (entries_.size() <= context.self_) entries_.resize(context.self_ + 1);
    Entry& entry = entries_[context.self_];
    if (!entry.present) {
      entry.present = true;
      context.runtime_.state_added(context.self_);
    }
    entry.value = std::move(value);
    entry.written = context.now();
  }

  void clear(Context& context) {
    if (Entry* entry = find(context.self_)) erase(context, *entry);
  }

 private:
  struct Entry {
    T value{};
    Time written = 0;
    bool present = false;
  };

  Entry* find(AddressRef ref) {
    if (ref >= entries_.size() || !entries_[ref].present) return nullptr;
    return &entries_[ref];
  }
  void erase(Context& context, Entry& entry) {
    entry = Entry{};
    context.runtime_.state_removed(context.self_);
  }

  std::string name_;
  Time ttl_;
  std::vector<Entry> entries_;  // by AddressRef; slots are reused, so this tracks live addresses
};

}  // namespace sim
