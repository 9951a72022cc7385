#pragma once
// A function type whose batches go to a remote function over the request-reply protocol, handled
// as the StateFun runtime handles them:
//
// - Each attempt is one ToFunction: the target, every registered state of the type with the
//   address's value (a state without one is sent with no value), and the batch's invocations,
//   each with its caller. It is posted when the attempt starts.
// - At the answer's virtual arrival the FromFunction is read. IncompleteInvocationContext
//   registers the missing states (the first registration of a name wins; later ones must agree
//   on its type) and the batch is sent again. An InvocationResponse is applied in StateFun's
//   order: outgoing messages, delayed messages and cancellations, egress, then state mutations
//   (MODIFY stores the bytes after checking the typename, DELETE clears). An empty 200 body is
//   an empty response.
// - A refused connection and HTTP 408/409/420/429/499/5xx are retryable failures; another status,
//   or an answer that cannot be read or applied, fails the job naming the endpoint.
//
// Nothing of an answer is applied unless all of it can be: it is read whole first.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/remote/conventions.h"
#include "sim/remote/state_spec.h"
#include "sim/remote/transport.h"
#include "sim/runtime.h"

namespace sim::remote {

class RemoteFunction : public CallHandler {
 public:
  // `url` is the endpoint's, e.g. http://127.0.0.1:8000/statefun.
  RemoteFunction(std::string url, const WireConventions& conventions, Transport& transport);

  void send(Runtime& runtime, AddressRef target, std::span<const CallMessage> batch) override;
  CallOutcome receive(Context& context, std::span<const CallMessage> batch) override;

  const std::string& url() const { return url_; }
  const std::vector<StateSpec>& registered_states() const { return specs_; }
  std::size_t addresses_with_state() const { return values_.size(); }

 private:
  struct StoredValue {
    bool present = false;
    TypedValue value;
    Time touched = 0;  // last write (and, for kAfterInvoke, last call)
  };
  struct Sent {
    Transport::Ticket ticket = 0;
    std::string error;  // the request could not be built; nothing was posted
  };
  struct Plan;  // an answer read whole, before any of it is applied

  std::string build_request(Runtime& runtime, AddressRef target, std::span<const CallMessage> batch);
  std::vector<StoredValue>& values_of(const std::string& id);
  void drop_expired(std::vector<StoredValue>& values, Time now) const;
  CallOutcome negotiate(const io::statefun::sdk::reqreply::FromFunction& answer);
  Plan read_response(Context& context, const io::statefun::sdk::reqreply::FromFunction& answer) const;
  void apply(Context& context, Plan& plan);
  CallOutcome rejected(std::string why) const;

  std::string url_;
  const WireConventions& conventions_;
  Transport& transport_;
  std::vector<StateSpec> specs_;
  // By address id; one vector a spec (same order as specs_). Never iterated for output.
  std::unordered_map<std::string, std::vector<StoredValue>> values_;
  // The attempt in flight for each address, by address id (one at a time per address).
  std::unordered_map<std::string, Sent> sent_;
};

}  // namespace sim::remote
