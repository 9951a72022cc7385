#include "model/managed_model.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "sim/remote/http_transport.h"
#include "sim/remote/server_process.h"
#include "sim/settings.h"

namespace fraudsim {
namespace {

std::string this_executable() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw sim::remote::ServerError("cannot find this fraudsim's executable for {fraudsim}: " + error.message());
  return path.string();
}

// {fraudsim} anywhere in a word; {settings}, a word of its own, becomes the run's settings.
std::vector<std::string> expand_placeholders(const std::vector<std::string>& command,
                                             const std::string& executable,
                                             const std::vector<std::string>& settings) {
  const std::string_view placeholder = kFraudsimPlaceholder;
  std::vector<std::string> words;
  for (std::string word : command) {
    if (word == kSettingsPlaceholder) {
      words.insert(words.end(), settings.begin(), settings.end());
      continue;
    }
    for (std::size_t at = word.find(placeholder); at != std::string::npos;
         at = word.find(placeholder, at + executable.size())) {
      word.replace(at, placeholder.size(), executable);
    }
    words.push_back(std::move(word));
  }
  return words;
}

std::string temporary_log_path() {
  static std::atomic<unsigned> next{0};
  return (std::filesystem::temp_directory_path() /
          fmt::format("fraudsim-model-server-{}-{}.log", ::getpid(), next++))
      .string();
}

}  // namespace

std::vector<std::string> settings_arguments(const std::map<std::string, std::string>& effective) {
  std::vector<std::string> arguments;
  for (const auto& [key, value] : effective) {
    if (key.rfind("model.server", 0) == 0) continue;  // the server does not start servers
    arguments.push_back("--set");
    arguments.push_back(key + "=" + value);
  }
  return arguments;
}

ManagedModelEndpoint::ManagedModelEndpoint(sim::CallEndpoint& network, std::vector<Window> restarts,
                                           const ModelServerSettings& settings,
                                           std::string url, Options options)
    : network_(network),
      restarts_(std::move(restarts)),
      settings_(settings),
      url_text_(std::move(url)),
      url_(sim::remote::parse_http_url(url_text_)),
      options_(std::move(options)),
      probe_(std::make_unique<sim::remote::ConnectionProbe>(url_.host, url_.port)) {
  if (options_.log.empty()) {
    options_.log = temporary_log_path();
    temporary_log_ = true;
  }
  executable_ = this_executable();
  if (options_.transport == nullptr) throw std::logic_error("a managed model server needs the run's HTTP transport");
}

ManagedModelEndpoint::~ManagedModelEndpoint() {
  stop(/*run_ended_early=*/true);  // after a normal end the run has stopped it already
  if (temporary_log_) {
    std::error_code ignored;
    std::filesystem::remove(options_.log, ignored);
  }
}

std::string ManagedModelEndpoint::where() const { return fmt::format("{}:{}", url_.host, url_.port); }

void ManagedModelEndpoint::start() {
  if (!sim::remote::is_local_address(url_.host)) {
    throw sim::InputError(fmt::format(
        "model.server starts the model's server on this machine, but the model's endpoint {} is on "
        "{}, which is not an address of this machine",
        url_text_, url_.host));
  }
  if (probe_->accepts()) {
    throw sim::remote::ServerError(fmt::format(
        "model.server: something already answers on {}, where the model's server is to listen; "
        "stop it, or choose another port in the model's endpoint and in model.server",
        where()));
  }
  launch(0, 0);
}

void ManagedModelEndpoint::launch(std::size_t restart, sim::Time at) {
  const bool changed = restart > 0 && !settings_.after_restart.empty();
  server_ = std::make_unique<sim::remote::ServerProcess>(
      expand_placeholders(changed ? settings_.after_restart : settings_.command, executable_,
                          options_.settings),
      settings_.directory, options_.log);
  const auto begun = std::chrono::steady_clock::now();
  try {
    server_->start_and_wait(url_.host, url_.port, settings_.start_timeout, options_.while_waiting);
  } catch (const sim::remote::ServerError& e) {
    server_.reset();
    throw sim::remote::ServerError(
        restart == 0 ? fmt::format("model.server: {}", e.what())
                     : fmt::format("model.server{}: when restart {} ended at {}: {}",
                                   changed ? "_after_restart" : "", restart, sim::format_instant(at),
                                   e.what()));
  }
  statistics_.wall_seconds_starting +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
  ++statistics_.starts;
}

void ManagedModelEndpoint::stop(bool run_ended_early) {
  if (!server_) return;
  // Our idle keep-alive connections would hold the server up until they time out, and would be
  // dead once it is gone. A run that ended early (an error, an interrupt) does not wait for the
  // requests under way either: the server may be what hangs.
  options_.transport->close_connections(run_ended_early);
  server_.reset();  // stops the process group
  ++statistics_.stops;
  next_probe_ = 0;
}

void ManagedModelEndpoint::follow(sim::Time now) {
  const auto begun = static_cast<std::size_t>(
      std::upper_bound(restarts_.begin(), restarts_.end(), now,
                       [](sim::Time t, const Window& w) { return t < w.start; }) -
      restarts_.begin());
  // Through every restart begun since the last attempt, in order: stopped at its start; started
  // again at its end if the model was up for a while before the next one began.
  while (restarts_followed_ < begun) {
    stop();
    const Window& restart = restarts_[restarts_followed_++];
    if (restarts_followed_ < begun && restarts_[restarts_followed_].start > restart.end()) {
      launch(restarts_followed_, restart.end());
    }
  }
  // Up again once the latest restart has ended.
  if (!server_ && restarts_followed_ > 0 && restarts_[restarts_followed_ - 1].end() <= now) {
    launch(restarts_followed_, restarts_[restarts_followed_ - 1].end());
  }
  if (server_ && server_->has_ended()) {
    throw sim::remote::ServerError(fmt::format(
        "model.server: the model's server {} {} at {}, while the model was to be up{}",
        server_->describe(), server_->ended(), sim::format_instant(now), server_->log_tail()));
  }
}

sim::CallAttempt ManagedModelEndpoint::attempt(sim::Time now, const sim::Address& target,
                                               std::uint64_t call, int attempt,
                                               std::size_t batch_size) {
  follow(now);
  sim::CallAttempt decided = network_.attempt(now, target, call, attempt, batch_size);
  if (!server_ && now >= next_probe_) {
    // Down: the HTTP path meets the refused connection for real (the outcome stays the
    // network's), on the first attempt and then once a virtual second; a request per attempt
    // would cost wall time for nothing more.
    next_probe_ = now + sim::kSecond;
    const sim::remote::HttpAnswer answer = options_.transport->await(options_.transport->post(url_text_, {}));
    if (answer.status == 0) {
      ++statistics_.refused_while_down;
    } else {
      ++statistics_.answered_while_down;
    }
  }
  return decided;
}

}  // namespace fraudsim
