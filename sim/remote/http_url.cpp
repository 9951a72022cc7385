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
  std::string_view after_host = authority;  // from the port's colon, if any
  if (authority.substr(0, 1) == "[") {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("an IPv6 host needs its closing ']'");
    host = authority.substr(1, close - 1);
    after_host = authority.substr(close + 1);
    if (!after_host.empty() && after_host.front() != ':') {
      throw std::invalid_argument("expected ':port' after the IPv6 host");
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    after_host = authority.substr(colon);
  } else {
    after_host = {};
  }
  if (!after_host.empty()) {
    const std::string_view port = after_host.substr(1);
    int value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || value < 1 ||
        value > 65535) {
      throw std::invalid_argument("the port must be a number from 1 to 65535");
    }
    out.port = value;
  }
  if (host.empty()) throw std::invalid_argument("the host is missing");
  if (host.find_first_of("@/ \t[]") != std::string_view::npos) {
    throw std::invalid_argument("the host may not hold '@', '/', brackets or blanks");
  }
  if (host.find(':') != std::string_view::npos && authority.substr(0, 1) != "[") {
    throw std::invalid_argument("an IPv6 host goes in brackets: http://[::1]:8000/path");
  }
  out.host = std::string(host);
  return out;
}

std::string format_http_url(const std::string& host, int port, const std::string& path) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + path;
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
