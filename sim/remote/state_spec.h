#pragma once
// A remote function's persisted value as the protocol declares it (PersistedValueSpec).
#include <cstdint>
#include <string>

#include "sim/time.h"

namespace sim::remote {

enum class StateExpiry : std::uint8_t { kNone, kAfterWrite, kAfterInvoke };

struct StateSpec {
  std::string name;       // ^[_a-z]+$ for the SDKs
  std::string type_name;  // e.g. io.statefun.types/int
  StateExpiry expiry = StateExpiry::kNone;
  Time ttl = 0;  // with an expiry; whole milliseconds on the wire
};

}  // namespace sim::remote
