#pragma once
// The Transport over HTTP/1.1: a pool of worker threads, each keeping one keep-alive connection
// per endpoint, posting requests in the order they were dispatched. The answers are kept until
// the runtime awaits them, at their virtual arrival. Destroying it abandons what is still queued
// and cuts the requests under way (a run that ended does not wait for a hung endpoint).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "sim/remote/transport.h"
#include "sim/time.h"

namespace httplib {
class Client;
}

namespace sim::remote {

struct HttpTransportOptions {
  int connections = 8;  // worker threads, each with its own connections
  Time connect_timeout = 5 * kSecond;
  // A wall-clock guard against a hung endpoint: a request not answered in this time counts as no
  // answer (a failed attempt). The call timeout itself is virtual.
  Time read_timeout = 10 * kSecond;
  // Called about ten times a second while await() waits; it may throw to abandon the wait (an
  // interrupted run), and the exception leaves await().
  std::function<void()> while_waiting;
};

class HttpTransport : public Transport {
 public:
  explicit HttpTransport(HttpTransportOptions options = {});
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  Ticket post(const std::string& url, std::string body) override;
  HttpAnswer await(Ticket ticket) override;
  // Closes every kept-alive connection now, and returns once all are closed (a worker making a
  // request closes its connections after it, or at once when `cut_requests_under_way`); later
  // requests open new ones. Before a server is stopped: it then need not wait for idle
  // connections to time out, and none outlive it.
  void close_connections(bool cut_requests_under_way = false);

 private:
  struct Job {
    Ticket ticket;
    std::string url;
    std::string body;
  };
  void work(std::size_t worker);

  HttpTransportOptions options_;
  std::mutex mutex_;
  std::condition_variable job_ready_;
  std::condition_variable answer_ready_;
  std::deque<Job> jobs_;
  std::unordered_map<Ticket, HttpAnswer> answers_;
  Ticket next_ticket_ = 1;
  bool stopping_ = false;
  // close_connections() counts up; each worker closes its connections and catches up.
  std::uint64_t connection_generation_ = 0;
  std::vector<std::uint64_t> worker_generation_;
  std::condition_variable connections_closed_;
  std::vector<httplib::Client*> busy_;  // by worker: the client of the request it is making
  std::vector<std::thread> workers_;
};

}  // namespace sim::remote
