// fraudsim serve: fraudsim's four functions as a StateFun remote endpoint, until Ctrl-C or SIGTERM.
#include <atomic>
#include <csignal>
#include <ostream>
#include <thread>

#include <fmt/format.h>

#include "model/scenario.h"
#include "model/served_functions.h"
#include "sim/remote/http_url.h"
#include "sim/settings.h"
#include "src/cli.h"
#include "src/function_server.h"

namespace fraudsim {
namespace {

// Waits for SIGINT or SIGTERM on a thread of its own (the signals are blocked everywhere else, so
// the server's threads never see them) and stops the server when one comes.
class StopOnSignal {
 public:
  explicit StopOnSignal(FunctionServer& server) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    waiter_ = std::thread([this, &server] {
      const timespec tick{0, 200'000'000};
      while (!done_) {
        if (sigtimedwait(&signals_, nullptr, &tick) > 0) {
          server.stop();
          return;
        }
      }
    });
  }
  ~StopOnSignal() {
    done_ = true;
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

}  // namespace

int serve_command(const ServeOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const Scenario scenario = options.scenario.empty()
                                  ? make_scenario(options.overrides)
                                  : load_scenario(options.scenario, options.overrides);
    ServedFunctions functions(scenario);
    FunctionServer server(functions, err);
    const int port = server.bind(options.bind, options.port);
    std::string types;
    for (const std::string& type : functions.served_types()) {
      types += (types.empty() ? "" : ", ") + type;
    }
    out << fmt::format("fraudsim serve: {} at {} (any path); Ctrl-C stops\n", types,
                       sim::remote::format_http_url(options.bind, port, "/statefun"))
        << std::flush;
    StopOnSignal stop_on_signal(server);
    if (!server.run()) {
      err << "fraudsim: error: the server stopped unexpectedly\n";
      return kExitInternal;
    }
    return kExitOk;
  } catch (...) {
    return report_escaped_exception(err);
  }
}

}  // namespace fraudsim
