#pragma once
// How request-reply calls reach a remote function: POST a body to a URL now, collect the answer
// later. Calls are issued as soon as the runtime dispatches them and awaited only when their
// virtual answer time comes, so many can be under way at once.
#include <cstdint>
#include <string>

namespace sim::remote {

struct HttpAnswer {
  int status = 0;     // 0: no HTTP answer at all (see `error`)
  std::string error;  // why there was no answer, e.g. "connection refused"
  std::string body;
};

class Transport {
 public:
  using Ticket = std::uint64_t;
  virtual ~Transport() = default;
  virtual Ticket post(const std::string& url, std::string body) = 0;
  // Blocks until the call's answer is in; each ticket is awaited once.
  virtual HttpAnswer await(Ticket ticket) = 0;
};

// StateFun's retry rule: a connection failure and HTTP 408, 409, 420, 429, 499 and every 5xx are
// retried; any other answer that is not 2xx fails the call at once.
inline bool retryable(const HttpAnswer& answer) {
  const int s = answer.status;
  return s == 0 || s == 408 || s == 409 || s == 420 || s == 429 || s == 499 || s >= 500;
}

}  // namespace sim::remote
