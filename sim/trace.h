#pragma once
// A readable trace of processed events, one line each:
//   <time in µs> <kind> <target> [from <sender>|<async status>|<timer argument>] <message type> <content>
// Written only when a run asks for it (--trace FILE); the fingerprint does not depend on it.
#include <ostream>
#include <string>

#include <google/protobuf/message.h>

#include "sim/time.h"

namespace sim {

struct TraceRecord {
  Time time;
  const char* kind;
  std::string target;
  std::string detail;  // sender address, async status or timer argument; may be empty
  const google::protobuf::Message* message;  // may be null
};

class TraceWriter {
 public:
  explicit TraceWriter(std::ostream& out) : out_(out) {}
  void write(const TraceRecord& record);

 private:
  std::ostream& out_;
  std::string line_;
};

}  // namespace sim
