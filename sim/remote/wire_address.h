#pragma once
// Function typenames on the wire: "namespace/type", split at the last '/', as the SDKs do.
#include <string>

#include "sim/protocol/request_reply.pb.h"

namespace sim::remote {

inline std::string wire_name(const io::statefun::sdk::reqreply::Address& address) {
  return address.namespace_() + "/" + address.type();
}

inline void set_wire_address(io::statefun::sdk::reqreply::Address& out, const std::string& wire_type,
                             const std::string& id) {
  const auto slash = wire_type.rfind('/');
  out.set_namespace_(slash == std::string::npos ? std::string() : wire_type.substr(0, slash));
  out.set_type(slash == std::string::npos ? wire_type : wire_type.substr(slash + 1));
  out.set_id(id);
}

}  // namespace sim::remote
