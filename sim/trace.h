#pragma once
// A readable trace of processed events, one line each:
//   <time in µs> <kind> <target> [from <sender>|<async status>|<timer argument>] <message type> <content>
// Written only when a run asks for it (--trace FILE); the fingerprint does not depend on it. A
// filter keeps only some events (by address, type and time window); the others are still run.
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

// Which events a trace keeps; by default all. Every condition given must hold.
struct TraceFilter {
  std::string address;  // the target or the sender contains this text, e.g. "ververica/model"
  std::string type;     // the message type or the event kind is this, e.g. "FraudScore", "timer"
  Time from = 0;        // virtual time window [from, until]
  Time until = kNever;
  bool keeps(const TraceRecord& record) const;
};

class TraceWriter {
 public:
  explicit TraceWriter(std::ostream& out, TraceFilter filter = {}) : out_(out), filter_(std::move(filter)) {}
  void write(const TraceRecord& record);

 private:
  std::ostream& out_;
  TraceFilter filter_;
  std::string line_;
};

}  // namespace sim
