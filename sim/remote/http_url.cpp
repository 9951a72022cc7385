#include "sim/remote/http_url.h"

#include <charconv>
#include <netdb.h>
#include <stdexcept>

namespace sim::remote {

HttpUrl parse_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    throw std::invalid_argument(url.substr(0, 8) == "https://"
                                    ? "https is not supported; use http:// (loopback or a trusted network)"
                                    : "expected http://host[:port]/path");
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.path.find_first_of(" \t\r\n?#") != std::string::npos) {
    throw std::invalid_argument("the path may not hold blanks, '?' or '#'");
  }
  std::string_view host = authority;
  if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    const std::string_view port = authority.substr(colon + 1);
    int value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || value < 1 ||
        value > 65535) {
      throw std::invalid_argument("the port must be a number from 1 to 65535");
    }
    out.port = value;
  }
  if (host.empty()) throw std::invalid_argument("the host is missing");
  if (host.find_first_of("@/ \t") != std::string_view::npos) {
    throw std::invalid_argument("the host may not hold '@', '/' or blanks");
  }
  out.host = std::string(host);
  return out;
}

void check_host_resolves(const HttpUrl& url) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int error = getaddrinfo(url.host.c_str(), nullptr, &hints, &found);
  if (found != nullptr) freeaddrinfo(found);
  if (error != 0) {
    throw std::invalid_argument("cannot resolve the host '" + url.host + "': " + gai_strerror(error));
  }
}

}  // namespace sim::remote
