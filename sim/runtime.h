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
// - Call semantics for functions bound "as remote" (bind_remote): a message to such an address
//   starts a call, which an endpoint may answer late or fail; failed attempts are retried with
//   exponential backoff until the call timeout, messages arriving meanwhile are batched, and a
//   call that outlives its timeout fails the job, as in StateFun.
//
// Every processed event is folded into the fingerprint and, when a trace is attached, written to
// it. Ordering is EventQueue's rule: (time, then scheduling order).
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <typeindex>
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
namespace remote {
class FunctionHost;
}

enum class AsyncStatus : std::uint8_t { kSuccess, kFailure, kUnknown, kTimeout };
const char* to_string(AsyncStatus status);

// What the outside world decided about an asynchronous operation when it started.
struct AsyncOutcome {
  Time delay = 0;  // until it completes; kNever: it never does (it hangs)
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

// How one attempt of a call to a function bound with call semantics fares, as the simulated
// world (network, endpoint availability) decides it when the attempt starts.
struct CallAttempt {
  Time latency = 0;  // until the answer or the failure arrives; kNever: no answer at all
  bool succeeded = true;
  std::string failure;  // why it failed, e.g. "connection refused"
};

class CallEndpoint {
 public:
  virtual ~CallEndpoint() = default;
  // Attempt `attempt` (0-based) of call `call` (numbered per address from 0) to `target`,
  // starting at `now` with `batch_size` messages.
  virtual CallAttempt attempt(Time now, const Address& target, std::uint64_t call, int attempt,
                              std::size_t batch_size) = 0;
};

// One message of a call's batch, with its sender (kNoAddress for ingress).
struct CallMessage {
  Message message;
  AddressRef caller = kNoAddress;
};

// What became of a call attempt whose answer reached a CallHandler.
struct CallOutcome {
  enum class Kind : std::uint8_t {
    kHandled,   // the batch was handled
    kFailed,    // a retryable failure (a refused connection, HTTP 5xx): retried with backoff
    kRejected,  // a failure that no retry mends (HTTP 404, an answer that cannot be read): the job fails now
    kResend,    // the function asked for more before it handles the batch: send it again at once
  };
  Kind kind = Kind::kHandled;
  std::string detail;  // why, for every kind but kHandled
};

// Handles the batches of a function type bound with call semantics in place of an embedded
// function: a remote function. The runtime asks it to send each attempt that the simulated
// network lets through when the attempt starts, and to receive the answer at its virtual arrival.
class CallHandler {
 public:
  virtual ~CallHandler() = default;
  virtual void send(Runtime& runtime, AddressRef target, std::span<const CallMessage> batch) = 0;
  // `context` is the target's, with no caller; effects go through it.
  virtual CallOutcome receive(Context& context, std::span<const CallMessage> batch) = 0;
};

// StateFun's request-reply call semantics. A failed attempt is retried after a backoff that starts
// at backoff_initial and grows by backoff_multiplier (doubles) each time; the call fails when an attempt is still unanswered at
// call start + call_timeout, or when the next retry would not start before then. Either way the
// failure is stamped at exactly call start + call_timeout.
struct CallPolicy {
  Time backoff_initial = 10 * kMillisecond;
  double backoff_multiplier = 2.0;  // >= 1; each backoff rounded to a whole microsecond
  Time call_timeout = kMinute;
  std::uint32_t max_batch = 1000;
};

// About the call that delivered the message being handled (see Context::call()).
struct CallInfo {
  Time started = 0;         // when the call's first attempt started
  int attempts = 0;         // attempts it took, the successful one included
  Time backoff_waited = 0;  // time spent waiting between attempts
  std::size_t batch_size = 0;
};

// The run stopped: a call's timeout was spent (StateFun fails the job and restarts it from its
// last checkpoint; fraudsim stops and reports).
struct JobFailure {
  Time time = 0;
  std::string cause;
};

// Notable runtime events, at the virtual time they happen, for a run's metrics.
class RuntimeObserver {
 public:
  virtual ~RuntimeObserver() = default;
  virtual void on_call_attempt_failed(Time, TypeId) {}
  virtual void on_call_retry(Time, TypeId) {}
  // A message was handled through a call; `caller_id` is its sender's id ("" for ingress).
  virtual void on_call_delivered(Time, TypeId, std::string_view /*caller_id*/, const CallInfo&) {}
  virtual void on_async_timeout(Time) {}
  virtual void on_late_answer(Time) {}
};

using EgressId = std::uint32_t;
using TimerId = std::uint32_t;
// Identifies a delayed message for cancellation; scoped to the address that sent it.
using CancellationToken = std::string;

struct RuntimeOptions {
  Time hop_latency = kMillisecond;  // delivery delay of one internal message (send, reply)
};

struct CallStatistics {
  std::uint64_t calls = 0;            // batches sent
  std::uint64_t completed_calls = 0;  // batches answered (their messages delivered)
  std::uint64_t attempts = 0;
  std::uint64_t failed_attempts = 0;
  std::uint64_t retries = 0;          // attempts after the first of their call, resends aside
  std::uint64_t resends = 0;          // attempts sent again because the function asked (state)
  std::uint64_t messages = 0;         // messages delivered through completed calls
  std::uint64_t largest_batch = 0;
  std::uint64_t in_flight = 0;        // addresses with a call in flight now
  std::uint64_t peak_in_flight = 0;
  Time backoff_waited = 0;
};

struct TypeStatistics {
  std::string name;
  std::uint64_t invocations = 0;
  std::uint64_t addresses_with_state = 0;
  std::uint64_t peak_addresses_with_state = 0;
  bool remote = false;  // bound with call semantics
  CallStatistics calls;
};

struct AsyncStatistics {
  std::uint64_t started = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t late_answers_dropped = 0;  // answers that came after their timeout
  std::uint64_t never_answered = 0;        // operations that hang (no answer at all)
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
  // Binds with call semantics: each message reaches `function` through calls to `endpoint`.
  void bind_remote(TypeId type, StatefulFunction* function, CallEndpoint* endpoint,
                   CallPolicy policy);
  // Binds with call semantics to a handler that executes the batches itself (a remote function).
  void bind_remote(TypeId type, CallHandler* handler, CallEndpoint* endpoint, CallPolicy policy);
  EgressId bind_egress(std::string name, EgressSink* sink);
  TimerId add_timer(std::string name, TimerAction action);
  void set_trace(TraceWriter* trace) { trace_ = trace; }
  void set_observer(RuntimeObserver* observer) { observer_ = observer ? observer : &no_observer_; }
  // A performance hint: send_after with this delay will be common (e.g. a fraud window), so those
  // messages wait in a FIFO lane instead of the heap. Never changes the order of events.
  void expect_fixed_delay(Time delay) { queue_.use_fifo_lane_for(delay); }

  // The outside world.
  void ingest(Time at, TypeId type, std::string_view id, Message message);
  void schedule_timer(Time at, TimerId timer, std::uint64_t argument);

  // Runs every event stamped at or before `horizon`, nothing after it, unless the job fails.
  void run_until(Time horizon);
  // Runs events while `keep_going` says so (checked every 65,536 events) up to `horizon`. Returns
  // false when it stopped early (asked to, or the job failed).
  bool run_until(Time horizon, const std::function<bool()>& keep_going);
  const std::optional<JobFailure>& failure() const { return failure_; }

  Time now() const { return now_; }
  const Fingerprint& fingerprint() const { return fingerprints_.main(); }
  // Keeps more fingerprints beside the main one (before running).
  void keep_fingerprints(const std::vector<FingerprintRecipe>& recipes) { fingerprints_.keep(recipes); }
  const Fingerprints& fingerprints() const { return fingerprints_; }
  std::uint64_t events_processed() const { return events_processed_; }
  std::size_t pending_events() const { return queue_.size(); }
  std::size_t peak_pending_events() const { return peak_pending_events_; }
  std::size_t live_addresses() const { return slots_.size() - free_slots_.size(); }
  const std::vector<TypeStatistics>& type_statistics() const { return types_stats_; }
  const AsyncStatistics& async_statistics() const { return async_stats_; }
  const std::string& type_name(TypeId type) const { return types_[type].name; }
  TypeId type_of(std::string_view name) const;  // throws if unknown
  std::optional<TypeId> find_type(std::string_view name) const;
  std::optional<EgressId> find_egress(std::string_view name) const;
  // The address behind a reference handed out by the runtime (e.g. a CallMessage's caller).
  Address address_of(AddressRef ref) const;

 private:
  friend class Context;
  friend class remote::FunctionHost;
  template <class T>
  friend class PersistedValue;

  // What a hosted function did (see remote::FunctionHost), instead of scheduling it.
  struct CapturedEffect {
    enum class Kind : std::uint8_t { kSend, kDelayed, kCancel, kEgress } kind;
    Address to;
    Time delay = 0;
    Message message;
    std::string token;
    std::string egress;
  };
  struct ImmediateAsync {
    AddressRef target;
    AsyncStatus status;
    Message value;
    Message metadata;
  };

  enum class EventKind : std::uint8_t {
    kDeliver, kDelayed, kAsync, kTimer, kLateAnswer, kCallAnswer, kCallRetry, kCallTimeout
  };

  struct PendingEvent {
    EventKind kind = EventKind::kDeliver;
    bool cancelled = false;
    AsyncStatus status = AsyncStatus::kSuccess;  // also a call answer's: success or failure
    AddressRef target = kNoAddress;
    AddressRef caller = kNoAddress;
    TimerId timer = 0;
    std::uint64_t argument = 0;
    Message message;
    Message metadata;
    CancellationToken token;
    std::string failure;  // a failed call attempt's cause
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
    CallEndpoint* endpoint = nullptr;  // set: bound with call semantics
    CallHandler* handler = nullptr;    // set: the batches go to it instead of `function`
    CallPolicy policy;
    IdTable ids;
  };

  // The calls of one address bound with call semantics.
  struct CallState {
    std::deque<CallMessage> waiting;  // arrived while a call was in flight; the next batch
    std::vector<CallMessage> batch;   // the call in flight
    bool in_flight = false;
    std::uint64_t next_call = 0;
    Time started = 0;
    Time deadline = 0;
    int attempts = 0;
    Time next_backoff = 0;
    Time backoff_waited = 0;
    std::string last_failure;
    bool attempt_abandoned = false;  // the timeout came while an attempt was still under way
    bool resending = false;          // the attempt being started is a resend, not a retry
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

  void bind_with_calls(TypeId type, StatefulFunction* function, CallHandler* handler,
                       CallEndpoint* endpoint, const CallPolicy& policy);

  // Addresses.
  AddressRef intern(TypeId type, std::string_view id);
  void retain(AddressRef ref) { ++slots_[ref].references; }
  void release(AddressRef ref);
  void forget_unreferenced();  // frees every address that nothing refers to (hosting)
  void state_added(AddressRef ref);
  void state_removed(AddressRef ref);

  // Events.
  std::uint32_t allocate_event();
  void free_event(std::uint32_t index);
  void enqueue_message(EventKind kind, AddressRef from, AddressRef to, Time delay, Message message,
                       CancellationToken token);
  void cancel(AddressRef sender, std::string_view token);
  void process(const QueuedEvent& queued);
  void invoke(AddressRef target, AddressRef caller, const Message& message, const CallInfo* call);
  // Call semantics.
  void deliver_through_call(AddressRef target, AddressRef caller, Message message);
  void start_call(AddressRef target, CallState& state);
  void start_attempt(AddressRef target, CallState& state);
  void on_call_answer(AddressRef target, bool succeeded, const std::string& failure);
  void on_attempt_failed(AddressRef target, CallState& state, const std::string& failure);
  void complete_call(AddressRef target, CallState& state);
  void on_call_timeout(AddressRef target);
  void fail_job(std::string cause);
  void schedule_call_event(EventKind kind, AddressRef target, Time at, bool succeeded = false,
                           std::string failure = {});
  // Keeps an event in the slab (retaining its addresses) and returns its index.
  std::uint32_t store(PendingEvent event);
  void note_pending();  // updates the peak of pending events
  void schedule_at(Time at, PendingEvent event);
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
  // By dynamic type (cheap to get); the hash itself is of the type's full name, stable everywhere.
  std::unordered_map<std::type_index, std::uint64_t> type_hashes_;
  // Looked up by address, never iterated, so its order cannot reach any output.
  std::unordered_map<AddressRef, CallState> calls_;
  std::optional<JobFailure> failure_;
  // Set while hosting: effects are captured here and asynchronous operations complete at once.
  std::vector<CapturedEffect>* capture_ = nullptr;
  std::deque<ImmediateAsync> immediate_async_;
  AsyncStatistics async_stats_;
  RuntimeObserver no_observer_;
  RuntimeObserver* observer_ = &no_observer_;
  std::string serialize_buffer_;
  Fingerprints fingerprints_;
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
  // Starts an asynchronous operation whose fate the outside world already decided. With a
  // `timeout`, an operation not complete by then completes as kTimeout at the timeout, and its
  // real answer, when it comes, is dropped (and counted) instead of delivered.
  void start_async(const AsyncOutcome& outcome, Message metadata, Time timeout = kNever);
  // The call that delivered this message, for a function bound with call semantics; else null.
  const CallInfo* call() const { return call_; }

  Runtime& runtime() { return runtime_; }

 private:
  friend class Runtime;
  friend class remote::FunctionHost;
  template <class T>
  friend class PersistedValue;
  Context(Runtime& runtime, AddressRef self, AddressRef caller, const CallInfo* call = nullptr)
      : runtime_(runtime), self_(self), caller_(caller), call_(call) {}

  Runtime& runtime_;
  AddressRef self_;
  AddressRef caller_;
  const CallInfo* call_;
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
