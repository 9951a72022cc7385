#pragma once
// Helpers shared by the test suites: functions and egress sinks that record what reaches them,
// paths into the source tree, and scratch directories.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/runtime.h"

namespace fraudsim::testing {

struct Received {
  sim::Time time;
  sim::Address to;
  std::optional<sim::Address> from;  // none for ingress
  sim::Message message;
};

// A function that records every message it receives. Bind it to the types a function under test
// talks to, then read `log`.
class Recorder : public sim::StatefulFunction {
 public:
  explicit Recorder(std::vector<Received>& log) : log_(log) {}
  void invoke(sim::Context& context, const sim::Message& message) override;

 private:
  std::vector<Received>& log_;
};

struct Emitted {
  sim::Time time;
  sim::Message message;
};

class RecordingEgress : public sim::EgressSink {
 public:
  void emit(sim::Time now, const sim::Message& message) override {
    emitted.push_back({now, message});
  }
  std::vector<Emitted> emitted;
};

// A path under the source tree, e.g. source_path("scenarios/workshop.ini").
std::string source_path(const std::string& relative);

// A fresh directory under the system's temporary directory, removed when destroyed.
class ScratchDirectory {
 public:
  ScratchDirectory();
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Writes `content` to a file in the directory and returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

// The names in a directory, sorted, hidden ones included (staging leftovers would show here);
// none when it does not exist.
std::vector<std::string> listing(const std::filesystem::path& directory);

// A loopback port nothing listens on now (the kernel's choice of a free one, released again).
int unused_port();

// Whether a process is alive: it exists and is not a zombie (an orphan's zombie waits for init).
bool process_alive(int pid);

}  // namespace fraudsim::testing
