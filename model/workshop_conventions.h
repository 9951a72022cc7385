#pragma once
// The workshop's StateFun 3 edition conventions (wire_codec.h) as the remote-function machinery
// takes them: function types by their edition names, messages by their wire types, and alerts as
// that edition's Kafka egress records.
#include "sim/remote/conventions.h"

namespace fraudsim {

class WorkshopConventions : public sim::remote::WireConventions {
 public:
  std::string wire_type(std::string_view runtime_type) const override;
  std::string runtime_type(std::string_view wire_type) const override;
  sim::remote::TypedValue encode(const sim::Message& message) const override;
  sim::Message decode(const sim::remote::TypedValue& value, std::string_view sender,
                      std::string_view receiver) const override;
  std::pair<std::string, sim::Message> decode_egress(
      std::string_view wire_egress, const sim::remote::TypedValue& argument,
      const sim::Address& sender) const override;
  std::pair<std::string, sim::remote::TypedValue> encode_egress(
      std::string_view egress, const sim::Message& message) const override;
};

}  // namespace fraudsim
