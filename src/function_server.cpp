#include "src/function_server.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "sim/settings.h"

namespace fraudsim {

FunctionServer::FunctionServer(ServedFunctions& functions, std::ostream& log)
    : functions_(functions), log_(log), server_(std::make_unique<httplib::Server>()) {
  server_->set_payload_max_length(kMaxRequestBytes);
  server_->set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, with which a second server binds a port already in
  // use and the kernel splits connections between the two: a run would get answers from both.
  // SO_REUSEADDR alone lets a restarted server take its port back from TIME_WAIT, nothing more.
  server_->set_socket_options([](socket_t socket) {
    int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  const auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    try {
      response.set_content(functions_.handle(request.body), "application/octet-stream");
    } catch (const std::exception& e) {
      response.status = 500;
      response.set_content(std::string(), "application/octet-stream");
      std::lock_guard lock(log_mutex_);
      log_ << fmt::format("fraudsim serve: 500 for {} {} from {}: {}\n", request.method,
                          request.path, request.remote_addr, e.what())
           << std::flush;
    }
  };
  server_->Post(".*", handle);
  server_->Put(".*", handle);
  // Refusals that never reach the handler get their line too (a 500 from the handler has one),
  // written before the answer is sent.
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (response.status == 500) return httplib::Server::HandlerResponse::Unhandled;
        const char* why = response.status == 413   ? "the body is over 16 MiB"
                          : response.status == 404 ? "only POST and PUT carry invocations"
                                                   : "the request is not one the server can read";
        std::lock_guard lock(log_mutex_);
        log_ << fmt::format("fraudsim serve: {} for {} {} from {}: {}\n", response.status,
                            request.method, request.path, request.remote_addr, why)
             << std::flush;
        return httplib::Server::HandlerResponse::Unhandled;
      }));
}

FunctionServer::~FunctionServer() {
  // A bound socket is closed only by a server that ran; one never run runs and stops at once.
  if (bound_ && !started_) {
    stop_requested_ = true;
    run();
  }
}

int FunctionServer::bind(const std::string& address, int port) {
  if (port < 0 || port > 65535) {
    throw sim::InputError(fmt::format("--port {}: expected 0 (any free port) to 65535", port));
  }
  const int bound = port == 0 ? server_->bind_to_any_port(address)
                              : (server_->bind_to_port(address, port) ? port : -1);
  if (bound < 0) {
    throw sim::InputError(fmt::format("cannot listen on {}:{}: the address is not local or the "
                                      "port is in use",
                                      address, port));
  }
  bound_ = true;
  return bound;
}

bool FunctionServer::run() {
  bool stop_at_once = false;
  {
    std::lock_guard lock(state_mutex_);
    started_ = true;
    stop_at_once = stop_requested_;
  }
  // A stop asked for before run() must still close the bound socket, which only a running
  // server can do: listen, and stop as soon as listening.
  std::thread stopper;
  if (stop_at_once) stopper = std::thread([this] { stop_when_listening(); });
  const bool ok = server_->listen_after_bind();
  finished_ = true;
  if (stopper.joinable()) stopper.join();
  return ok;
}

void FunctionServer::stop_when_listening() {
  // httplib ignores a stop that comes before it is listening.
  while (!server_->is_running() && !finished_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->stop();
}

void FunctionServer::stop() {
  {
    std::lock_guard lock(state_mutex_);
    stop_requested_ = true;
    if (!started_) return;  // run() will stop at once
  }
  stop_when_listening();
}

}  // namespace fraudsim
