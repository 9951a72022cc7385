#pragma once
// A server that a run starts and stops itself: a command (split into words as a shell would, but
// run without one), in its own process group, with its output going to a log file. It is stopped
// with SIGTERM to the whole group (then SIGKILL after a grace period) when asked, when the object
// is destroyed (the run ended, failed or was interrupted), and, for the process it started, by the
// kernel if this process dies (a parent-death signal): a wrapper should exec its server.
#include <sys/types.h>

#include <functional>
#include <ios>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace sim::remote {

// The server did not start, or stopped answering; the message says which command and why.
class ServerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Splits a command line into words: blanks separate words; 'single' and "double" quotes and a
// backslash keep blanks (and each other) inside a word. Throws std::invalid_argument for an
// unclosed quote, an empty command or an empty program name.
std::vector<std::string> split_command(std::string_view command);

// Tries TCP connections to host:port, resolved once (a lookup per try would cost milliseconds).
class ConnectionProbe {
 public:
  ConnectionProbe(const std::string& host, int port);
  // Whether something accepts a connection now (a connect that succeeds within `timeout`).
  bool accepts(Time timeout = 200 * kMillisecond) const;

 private:
  struct Address {
    int family, type, protocol;
    std::vector<unsigned char> bytes;  // the sockaddr
  };
  std::vector<Address> addresses_;
};

// Whether `host` names an address of this machine (one a socket can be bound to).
bool is_local_address(const std::string& host);

inline bool accepts_connections(const std::string& host, int port, Time timeout = 200 * kMillisecond) {
  return ConnectionProbe(host, port).accepts(timeout);
}

class ServerProcess {
 public:
  // `words` as split_command gives them; the program is looked up on PATH when it has no slash.
  // It runs in `directory` (empty: the working directory) with stdin from /dev/null and stdout
  // and stderr appended to `log`.
  // A server that has not ended `grace` after SIGTERM is killed.
  ServerProcess(std::vector<std::string> words, std::string directory, std::string log,
                Time grace = 5 * kSecond);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the command and waits until host:port accepts connections, at most `timeout` of wall
  // time, calling `while_waiting` about every 20 ms (it may throw to give up). Throws ServerError
  // when the program cannot be run, exits first, or does not answer in time; it is stopped then.
  void start_and_wait(const std::string& host, int port, Time timeout,
                      const std::function<void()>& while_waiting = {});
  // Stops the process group: SIGTERM, then SIGKILL if it has not ended within the grace period.
  void stop();
  bool running() const { return pid_ > 0; }
  // Whether the process has ended by itself since it started (collected now if so).
  bool has_ended() { return reap(false); }
  // How the process ended, once it has: "exited with status 1", "killed by signal 9".
  const std::string& ended() const { return ended_; }
  // The last lines this start wrote to the log (each cut short if long), for error messages.
  std::string log_tail(std::size_t lines = 5) const;
  // "[command] in directory", for messages.
  std::string describe() const;

 private:
  void spawn();
  bool reap(bool block);  // true once the process has ended (and ended_ says how)

  std::vector<std::string> words_;
  std::string directory_;
  std::string log_;
  Time grace_;
  pid_t pid_ = -1;    // the process started, until it is collected
  pid_t group_ = 0;   // its process group, until stopped (it may outlive the leader)
  std::streamoff log_start_ = 0;
  std::string ended_;
};

}  // namespace sim::remote
