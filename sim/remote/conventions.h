#pragma once
// How the runtime's messages, function types and egresses look on the wire of the request-reply
// protocol. The engine knows no message types; an application supplies these conventions.
#include <string>
#include <string_view>
#include <utility>

#include "sim/address.h"
#include "sim/message.h"
#include "sim/protocol/typed_value.h"

namespace sim::remote {

using protocol::TypedValue;

class WireConventions {
 public:
  virtual ~WireConventions() = default;
  // A function type's name on the wire ("namespace/type") and the runtime's name for a wire name.
  // Names with no counterpart pass through unchanged.
  virtual std::string wire_type(std::string_view runtime_type) const = 0;
  virtual std::string runtime_type(std::string_view wire_type) const = 0;

  // Each of these throws std::exception with the reason when a value does not fit.
  virtual TypedValue encode(const Message& message) const = 0;
  // `sender` and `receiver` are runtime type names; `sender` is "" for ingress.
  virtual Message decode(const TypedValue& value, std::string_view sender,
                         std::string_view receiver) const = 0;
  // An egress message from the function at `sender`: the wire egress ("namespace/type") and its
  // argument, to the runtime's egress name and the message its sink takes.
  virtual std::pair<std::string, Message> decode_egress(std::string_view wire_egress,
                                                        const TypedValue& argument,
                                                        const Address& sender) const = 0;
  // The reverse, for a function served to a StateFun runtime.
  virtual std::pair<std::string, TypedValue> encode_egress(std::string_view egress,
                                                                    const Message& message) const = 0;
};

}  // namespace sim::remote
