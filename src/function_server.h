#pragma once
// The HTTP side of `fraudsim serve`: a StateFun remote endpoint in front of ServedFunctions.
// Like the SDKs it answers any path and method with a body, 200 with the FromFunction, or 500 with
// an empty body for a request it cannot handle; unlike them it says why, one line to `log`.
#include <atomic>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include "model/served_functions.h"

namespace httplib {
class Server;
}

namespace fraudsim {

inline constexpr std::size_t kMaxRequestBytes = 16u << 20;  // larger requests get HTTP 413

class FunctionServer {
 public:
  FunctionServer(ServedFunctions& functions, std::ostream& log);
  ~FunctionServer();

  // Binds to `address`; port 0 takes a free one. Returns the port, or throws sim::InputError.
  int bind(const std::string& address, int port);
  // Serves until stop() (also one that came first); returns false when the server could not run.
  bool run();
  void stop();  // from any thread

 private:
  void stop_when_listening();

  ServedFunctions& functions_;
  std::ostream& log_;
  std::mutex log_mutex_;
  std::unique_ptr<httplib::Server> server_;
  // stop() may come before run() has begun listening, from another thread.
  std::mutex state_mutex_;
  bool bound_ = false;
  bool started_ = false;
  bool stop_requested_ = false;
  std::atomic<bool> finished_{false};
};

}  // namespace fraudsim
