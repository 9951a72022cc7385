#pragma once
// The model's server, run by fraudsim itself (model.server): started before the run, stopped and
// started again at each of the scenario's restarts, stopped when the run ends (also on an error or
// an interrupt). Virtual time stays in charge: whether a call gets through is decided by the
// scenario's network (ModelEndpoint) alone, and the real server only follows the virtual clock,
// so a managed run has the fingerprint of the same run with the server kept up by hand. While the
// model is down, attempts also make real HTTP requests (the first, then one a virtual second),
// which the stopped server refuses.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/windows.h"
#include "sim/remote/http_url.h"
#include "sim/runtime.h"

namespace sim::remote {
class ConnectionProbe;
class HttpTransport;
class ServerProcess;
}  // namespace sim::remote

namespace fraudsim {

struct ModelServerSettings {
  std::vector<std::string> command;        // words; empty: fraudsim does not run the server
  std::vector<std::string> after_restart;  // the command after a restart; empty: `command`
  std::string directory;                   // where the commands run
  sim::Time start_timeout = 10 * sim::kSecond;  // wall-clock time to wait for it to answer
  bool enabled() const { return !command.empty(); }
};

struct ModelServerStatistics {
  std::uint64_t starts = 0;
  std::uint64_t stops = 0;
  std::uint64_t refused_while_down = 0;   // real requests made while down that were refused
  std::uint64_t answered_while_down = 0;  // ... that something answered all the same
  double wall_seconds_starting = 0;       // real time spent waiting for the server to answer
};

// "{fraudsim}" in a command is replaced by the path of this fraudsim; the word "{settings}" by
// the run's settings, as `--set key=value` words (all but model.server's own), so that
// `{fraudsim} serve {settings}` serves the very scenario the run has, overrides and seed included.
inline constexpr const char* kFraudsimPlaceholder = "{fraudsim}";
inline constexpr const char* kSettingsPlaceholder = "{settings}";

// The `--set key=value` words of a run's effective settings, for {settings}.
std::vector<std::string> settings_arguments(const std::map<std::string, std::string>& effective);

class ManagedModelEndpoint : public sim::CallEndpoint {
 public:
  struct Options {
    std::string log;  // the server's output; empty: a temporary file, removed afterwards
    // The run's HTTP transport: it closes its connections before each stop, and carries the
    // requests that meet the stopped server. Required.
    sim::remote::HttpTransport* transport = nullptr;
    std::function<void()> while_waiting;              // may throw to give up (an interrupt)
    std::vector<std::string> settings;                // what {settings} stands for
  };
  // `network` decides every attempt; `restarts` are the model's restart windows; `url` is the
  // model's endpoint, where the server must answer.
  ManagedModelEndpoint(sim::CallEndpoint& network, std::vector<Window> restarts,
                       const ModelServerSettings& settings, std::string url, Options options);
  ~ManagedModelEndpoint() override;
  ManagedModelEndpoint(const ManagedModelEndpoint&) = delete;
  ManagedModelEndpoint& operator=(const ManagedModelEndpoint&) = delete;

  // The first start, before the run. Throws sim::remote::ServerError when the port is taken
  // already, or the server does not start.
  void start();
  sim::CallAttempt attempt(sim::Time now, const sim::Address& target, std::uint64_t call,
                           int attempt, std::size_t batch_size) override;
  // Stops the server: the run ended, or (`run_ended_early`) failed or was interrupted, when the
  // requests under way are cut rather than awaited.
  void stop(bool run_ended_early = false);
  const ModelServerStatistics& statistics() const { return statistics_; }

 private:
  // Brings the server where the virtual clock says it is at `now`: up, started after the last
  // restart begun by then, or down inside a restart.
  void follow(sim::Time now);
  // Starts the server: first (restart 0), or when restart `restart` ended, at virtual time `at`.
  void launch(std::size_t restart, sim::Time at);
  std::string where() const;

  sim::CallEndpoint& network_;
  std::vector<Window> restarts_;
  ModelServerSettings settings_;
  std::string url_text_;
  sim::remote::HttpUrl url_;
  Options options_;
  bool temporary_log_ = false;
  std::string executable_;  // what {fraudsim} stands for: this process's executable
  std::unique_ptr<sim::remote::ConnectionProbe> probe_;
  std::unique_ptr<sim::remote::ServerProcess> server_;
  std::size_t restarts_followed_ = 0;  // restarts the real server has been through
  sim::Time next_probe_ = 0;     // while down: when the next attempt makes a real request
  ModelServerStatistics statistics_;
};

}  // namespace fraudsim
