#pragma once
// The pipeline's functions that a scenario puts behind endpoints ([endpoints]), each called over
// the request-reply protocol with the StateFun 3 edition's conventions.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "model/scenario.h"
#include "model/workshop_conventions.h"
#include "sim/remote/remote_function.h"
#include "sim/remote/transport.h"

namespace sim::remote {
class HttpTransport;
}

namespace fraudsim {

class RemoteFunctions {
 public:
  // `transport` replaces HTTP when given (tests); otherwise an HTTP transport is opened when
  // some function is remote, and `while_waiting` is called while it waits for an answer (see
  // sim::remote::HttpTransportOptions).
  RemoteFunctions(const Scenario& scenario, sim::remote::Transport* transport,
                  std::function<void()> while_waiting = {});
  ~RemoteFunctions();

  // The handler of a function type (a runtime type name), or null when it is embedded.
  sim::remote::RemoteFunction* handler_for(std::string_view function_type) const;
  // The HTTP transport opened here, or null (none is remote, or the caller gave a transport).
  sim::remote::HttpTransport* http_transport() const { return own_transport_.get(); }

 private:
  WorkshopConventions conventions_;
  std::unique_ptr<sim::remote::HttpTransport> own_transport_;
  std::map<std::string, std::unique_ptr<sim::remote::RemoteFunction>, std::less<>> handlers_;
};

}  // namespace fraudsim
