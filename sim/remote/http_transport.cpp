#include "sim/remote/http_transport.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <httplib.h>

#include "sim/remote/http_url.h"

namespace sim::remote {

namespace {

std::string describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection: return "connection refused";
    case httplib::Error::ConnectionTimeout: return "no connection within the connect timeout";
    case httplib::Error::Read: return "the connection broke while reading the answer";
    case httplib::Error::Write: return "the connection broke while sending the request";
    default: return "HTTP failure: " + httplib::to_string(error);
  }
}

std::pair<time_t, time_t> seconds_and_micros(Time t) { return {t / kSecond, t % kSecond}; }

}  // namespace

HttpTransport::HttpTransport(HttpTransportOptions options) : options_(options) {
  if (options_.connections < 1) throw std::invalid_argument("an HTTP transport needs a connection");
  busy_.assign(static_cast<std::size_t>(options_.connections), nullptr);
  worker_generation_.assign(busy_.size(), 0);
  for (std::size_t i = 0; i < busy_.size(); ++i) workers_.emplace_back([this, i] { work(i); });
}

HttpTransport::~HttpTransport() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
    for (httplib::Client* client : busy_) {
      if (client != nullptr) client->stop();  // httplib's one call that is safe from another thread
    }
  }
  job_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

Transport::Ticket HttpTransport::post(const std::string& url, std::string body) {
  parse_http_url(url);  // a bad URL is the caller's error, before anything is queued
  Ticket ticket;
  {
    std::lock_guard lock(mutex_);
    ticket = next_ticket_++;
    jobs_.push_back(Job{ticket, url, std::move(body)});
  }
  job_ready_.notify_one();
  return ticket;
}

HttpAnswer HttpTransport::await(Ticket ticket) {
  std::unique_lock lock(mutex_);
  const auto answered = [&] { return answers_.count(ticket) > 0; };
  while (!answer_ready_.wait_for(lock, std::chrono::milliseconds(100), answered)) {
    if (options_.while_waiting) {
      lock.unlock();
      options_.while_waiting();
      lock.lock();
    }
  }
  HttpAnswer answer = std::move(answers_.at(ticket));
  answers_.erase(ticket);
  return answer;
}

void HttpTransport::close_connections(bool cut_requests_under_way) {
  std::unique_lock lock(mutex_);
  ++connection_generation_;
  if (cut_requests_under_way) {
    for (httplib::Client* client : busy_) {
      if (client != nullptr) client->stop();
    }
  }
  job_ready_.notify_all();
  connections_closed_.wait(lock, [&] {
    return stopping_ || std::all_of(worker_generation_.begin(), worker_generation_.end(),
                                    [&](std::uint64_t g) { return g == connection_generation_; });
  });
}

void HttpTransport::work(std::size_t worker) {
  // One keep-alive client per endpoint origin, owned by this worker alone.
  std::unordered_map<std::string, std::unique_ptr<httplib::Client>> clients;
  const httplib::Headers headers = {{"Accept", "application/octet-stream"},
                                    {"User-Agent", "fraudsim"}};
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      const auto closing = [&] { return worker_generation_[worker] != connection_generation_; };
      job_ready_.wait(lock, [&] { return stopping_ || !jobs_.empty() || closing(); });
      if (stopping_) return;
      if (closing()) {
        clients.clear();
        worker_generation_[worker] = connection_generation_;
        connections_closed_.notify_all();
        continue;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    const HttpUrl url = parse_http_url(job.url);
    const std::string origin = url.host + ":" + std::to_string(url.port);
    std::unique_ptr<httplib::Client>& client = clients[origin];
    if (!client) {
      client = std::make_unique<httplib::Client>(url.host, url.port);
      client->set_keep_alive(true);
      client->set_tcp_nodelay(true);  // small requests: never wait for the peer's delayed ACK
      const auto [cs, cu] = seconds_and_micros(options_.connect_timeout);
      client->set_connection_timeout(cs, cu);
      const auto [rs, ru] = seconds_and_micros(options_.read_timeout);
      client->set_read_timeout(rs, ru);
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      busy_[worker] = client.get();
    }
    HttpAnswer answer;
    const auto sent = std::chrono::steady_clock::now();
    if (auto result = client->Post(url.path, headers, job.body, "application/octet-stream")) {
      answer.status = result->status;
      answer.body = std::move(result->body);
    } else if (result.error() == httplib::Error::Read &&
               std::chrono::steady_clock::now() - sent >= std::chrono::microseconds(options_.read_timeout)) {
      answer.error = fmt::format("no answer within {} of wall-clock time", format_duration(options_.read_timeout));
    } else {
      answer.error = describe(result.error());
    }
    {
      std::lock_guard lock(mutex_);
      busy_[worker] = nullptr;
      answers_.emplace(job.ticket, std::move(answer));
    }
    answer_ready_.notify_all();
  }
}

}  // namespace sim::remote
