#include "model/managed_model.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "sim/remote/http_transport.h"
#include "sim/remote/server_process.h"

namespace fraudsim {
namespace {

std::string this_executable() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw sim::remote::ServerError("cannot find this fraudsim's executable for {fraudsim}: " + error.message());
  return path.string();
}

std::vector<std::string> with_executable(std::vector<std::string> words, const std::string& executable) {
  for (std::string& word : words) {
    for (std::size_t at = word.find(kFraudsimPlaceholder); at != std::string::npos;
         at = word.find(kFraudsimPlaceholder, at + executable.size())) {
      word.replace(at, std::char_traits<char>::length(kFraudsimPlaceholder), executable);
    }
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
  if (options_.executable.empty()) options_.executable = this_executable();
  if (options_.transport == nullptr) throw std::logic_error("a managed model server needs the run's HTTP transport");
}

ManagedModelEndpoint::~ManagedModelEndpoint() {
  stop();
  if (temporary_log_) {
    std::error_code ignored;
    std::filesystem::remove(options_.log, ignored);
  }
}

std::string ManagedModelEndpoint::where() const { return fmt::format("{}:{}", url_.host, url_.port); }

void ManagedModelEndpoint::start() {
  if (probe_->accepts()) {
    throw sim::remote::ServerError(fmt::format(
        "model.server: something already answers on {}, where the model's server is to listen; "
        "stop it, or choose another port in the model's endpoint and in model.server",
        where()));
  }
  launch(0);
}

void ManagedModelEndpoint::launch(std::size_t incarnation) {
  const bool restarted = incarnation > 0 && !settings_.after_restart.empty();
  server_ = std::make_unique<sim::remote::ServerProcess>(
      with_executable(restarted ? settings_.after_restart : settings_.command, options_.executable),
      settings_.directory, options_.log);
  const auto begun = std::chrono::steady_clock::now();
  try {
    server_->start_and_wait(url_.host, url_.port, settings_.start_timeout, options_.while_waiting);
  } catch (const sim::remote::ServerError& e) {
    server_.reset();
    throw sim::remote::ServerError(
        incarnation == 0 ? fmt::format("model.server: {}", e.what())
                         : fmt::format("model.server{}: at {}, after restart {}: {}",
                                       restarted ? "_after_restart" : "", sim::format_instant(now_),
                                       incarnation, e.what()));
  }
  statistics_.wall_seconds_starting +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
  ++statistics_.starts;
  incarnation_ = incarnation;
}

void ManagedModelEndpoint::stop() {
  if (!server_) return;
  // Our idle keep-alive connections would hold the server up until they time out, and would be
  // dead once it is gone.
  options_.transport->close_connections();
  server_.reset();  // stops the process group
  ++statistics_.stops;
  next_probe_ = 0;
}

void ManagedModelEndpoint::follow(sim::Time now) {
  now_ = now;
  const auto begun = std::upper_bound(restarts_.begin(), restarts_.end(), now,
                                      [](sim::Time t, const Window& w) { return t < w.start; });
  const auto restarts_begun = static_cast<std::size_t>(begun - restarts_.begin());
  const bool down = restarts_begun > 0 && restarts_[restarts_begun - 1].covers(now);
  if (server_ && incarnation_ != restarts_begun) stop();
  if (server_ && server_->has_ended()) {
    throw sim::remote::ServerError(fmt::format(
        "model.server: the model's server on {} {} at {} while the model was to be up{}", where(),
        server_->ended(), sim::format_instant(now), server_->log_tail()));
  }
  if (!server_ && !down) launch(restarts_begun);
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
