#pragma once
// http://host[:port]/path URLs of remote function endpoints.
#include <string>
#include <string_view>

namespace sim::remote {

struct HttpUrl {
  std::string host;
  int port = 80;
  std::string path = "/";
};

// Throws std::invalid_argument saying what is wrong (only plain http is spoken).
HttpUrl parse_http_url(std::string_view url);

// Throws std::invalid_argument when the host name does not resolve (checked once, up front, so a
// typo is reported at once instead of as a failed call after each lookup's wait).
void check_host_resolves(const HttpUrl& url);

}  // namespace sim::remote
