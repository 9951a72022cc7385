#pragma once
// Function addresses, shaped like StateFun's: a function type ("namespace/name") and an id.
#include <cstdint>
#include <string>

namespace sim {

// Index of a function type in the runtime, in the order types were declared.
using TypeId = std::uint32_t;
// An interned address: an index into the runtime's address table, valid while the address has
// state or pending events. Never reaches outputs.
using AddressRef = std::uint32_t;
inline constexpr AddressRef kNoAddress = UINT32_MAX;

struct Address {
  std::string type;  // "namespace/name", e.g. "ververica/fraud-count"
  std::string id;

  std::string to_string() const { return type + "/" + id; }
  friend bool operator==(const Address&, const Address&) = default;
};

}  // namespace sim
