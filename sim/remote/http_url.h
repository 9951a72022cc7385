#pragma once
// http://host[:port]/path URLs of remote function endpoints; an IPv6 host is written in brackets,
// http://[::1]:8000/statefun.
#include <string>
#include <string_view>

namespace sim::remote {

struct HttpUrl {
  std::string host;  // an IPv6 address without its brackets
  int port = 80;
  std::string path = "/";
};

// Throws std::invalid_argument saying what is wrong (only plain http is spoken).
HttpUrl parse_http_url(std::string_view url);

// "http://host:port/path", with brackets around an IPv6 host.
std::string format_http_url(const std::string& host, int port, const std::string& path);

// Throws std::invalid_argument when the host name does not resolve (checked once, up front, so a
// typo is reported at once instead of as a failed call after each lookup's wait).
void check_host_resolves(const HttpUrl& url);

}  // namespace sim::remote
