// Endpoint URLs: plain http, a host (an IPv6 one in brackets), a port and a path.
#include <doctest/doctest.h>

#include <stdexcept>

#include "sim/remote/http_url.h"

namespace sim::remote {
namespace {

TEST_CASE("an endpoint URL gives its host, port and path; port 80 and path / by default") {
  const HttpUrl full = parse_http_url("http://model.local:8000/statefun");
  CHECK(full.host == "model.local");
  CHECK(full.port == 8000);
  CHECK(full.path == "/statefun");
  const HttpUrl bare = parse_http_url("http://127.0.0.1");
  CHECK(bare.host == "127.0.0.1");
  CHECK(bare.port == 80);
  CHECK(bare.path == "/");
}

TEST_CASE("an IPv6 host is written in brackets and kept without them") {
  const HttpUrl url = parse_http_url("http://[::1]:8000/statefun");
  CHECK(url.host == "::1");
  CHECK(url.port == 8000);
  CHECK(url.path == "/statefun");
  CHECK(parse_http_url("http://[fe80::1]/x").port == 80);
  CHECK_THROWS_WITH_AS(parse_http_url("http://::1:8000/x"),
                       "an IPv6 host goes in brackets: http://[::1]:8000/path", std::invalid_argument);
  CHECK_THROWS_AS(parse_http_url("http://[::1:8000/x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_http_url("http://[::1]8000/x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_http_url("http://[]:8000/x"), std::invalid_argument);
}

TEST_CASE("a URL that is not plain http with a host and a good port is refused, saying why") {
  CHECK_THROWS_WITH_AS(parse_http_url("https://a/x"),
                       "https is not supported; use http:// (loopback or a trusted network)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_http_url("ftp://a/x"), "expected http://host[:port]/path", std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_http_url("http://a:0/x"), "the port must be a number from 1 to 65535",
                       std::invalid_argument);
  CHECK_THROWS_AS(parse_http_url("http://a:99999/x"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_http_url("http://:8000/x"), "the host is missing", std::invalid_argument);
  CHECK_THROWS_AS(parse_http_url("http://user@a/x"), std::invalid_argument);
  CHECK_THROWS_AS(parse_http_url("http://a/x?y=1"), std::invalid_argument);
}

TEST_CASE("a URL is written back with brackets around an IPv6 host") {
  CHECK(format_http_url("127.0.0.1", 8000, "/statefun") == "http://127.0.0.1:8000/statefun");
  CHECK(format_http_url("::1", 8000, "/statefun") == "http://[::1]:8000/statefun");
  const HttpUrl round = parse_http_url(format_http_url("::1", 9, "/p"));
  CHECK(round.host == "::1");
  CHECK(round.port == 9);
}

}  // namespace
}  // namespace sim::remote
