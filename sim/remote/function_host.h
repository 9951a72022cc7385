#pragma once
// Serves functions bound in a runtime to a StateFun runtime over the request-reply protocol, the
// function side of it, as the official SDKs do:
//
// - A request names its target; an unknown function type is a bad request.
// - When a state the function keeps is not in the request, the answer is an
//   IncompleteInvocationContext listing only the missing ones, and nothing runs.
// - Otherwise the states are loaded (a value whose typename differs from the state's is a bad
//   request), the invocations run one at a time in order, each with its own caller, and the
//   answer carries the messages, delayed messages, cancellations and egress in the order they
//   were made, then one mutation for every state whose value changed (MODIFY, or DELETE when it
//   is gone).
//
// The host keeps nothing between requests: every value arrives with the request. Hosted functions
// have no clock (time stands at zero), and an asynchronous operation they start completes at once
// with the outcome the simulated world gives it, as a blocking call would; a delay sent on the wire
// is rounded up to whole milliseconds.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/remote/conventions.h"
#include "sim/remote/hosted_state.h"
#include "sim/runtime.h"

namespace sim::remote {

// A request the host cannot answer; the SDKs answer it with HTTP 500 and an empty body.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FunctionHost {
 public:
  explicit FunctionHost(const WireConventions& conventions);

  // Declare the types, bind the functions and the egresses here, then host() each served type.
  Runtime& runtime() { return runtime_; }
  void host(TypeId type, std::vector<HostedState*> states);

  // One serialized ToFunction in, one serialized FromFunction out. Not thread-safe.
  std::string handle(std::string_view request);

 private:
  struct Hosted {
    TypeId type;
    std::string wire_type;
    std::vector<HostedState*> states;
  };
  const Hosted* find(const std::string& wire_type) const;
  std::string run_batch(const Hosted& hosted, AddressRef self,
                        const io::statefun::sdk::reqreply::ToFunction::InvocationBatchRequest& batch);
  void add_effects(io::statefun::sdk::reqreply::FromFunction::InvocationResponse& response);
  void forget(const Hosted& hosted, AddressRef self);

  const WireConventions& conventions_;
  Runtime runtime_;
  std::vector<Runtime::CapturedEffect> effects_;
  std::vector<Hosted> hosted_;
};

}  // namespace sim::remote
