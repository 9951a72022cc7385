#include "model/workshop_conventions.h"

#include <charconv>

#include <fmt/format.h>

#include "model/messages.pb.h"
#include "model/pipeline_types.h"
#include "model/wire_codec.h"

namespace fraudsim {

namespace {

std::string_view seed_type(wire::Role role) {
  switch (role) {
    case wire::Role::kTransactionManager: return kTransactionManagerType;
    case wire::Role::kFraudCount: return kFraudCountType;
    case wire::Role::kMerchant: return kMerchantType;
    case wire::Role::kModel: return kModelType;
    case wire::Role::kUnknown: break;
  }
  return {};
}

}  // namespace

std::string WorkshopConventions::wire_type(std::string_view runtime_type) const {
  const wire::Role role = wire::role_of(runtime_type);
  return std::string(role == wire::Role::kUnknown ? runtime_type : wire::edition3_type(role));
}

std::string WorkshopConventions::runtime_type(std::string_view wire_type) const {
  const wire::Role role = wire::role_of(wire_type);
  return std::string(role == wire::Role::kUnknown ? wire_type : seed_type(role));
}

sim::remote::TypedValue WorkshopConventions::encode(const sim::Message& message) const {
  return wire::encode(*message);
}

sim::Message WorkshopConventions::decode(const sim::remote::TypedValue& value,
                                         std::string_view sender, std::string_view receiver) const {
  return wire::decode(value, wire::role_of(sender), wire::role_of(receiver));
}

std::pair<std::string, sim::Message> WorkshopConventions::decode_egress(
    std::string_view wire_egress, const sim::remote::TypedValue& argument,
    const sim::Address& sender) const {
  if (wire_egress != wire::kAlertsEgress) {
    throw wire::WireError(fmt::format("the only egress is '{}'", wire::kAlertsEgress));
  }
  sim::Message alert = wire::alert_transaction(argument);
  // The record's JSON has no transaction id; a transaction manager's address is that id.
  std::uint64_t id = 0;
  const auto [end, error] = std::from_chars(sender.id.data(), sender.id.data() + sender.id.size(), id);
  if (wire::role_of(sender.type) == wire::Role::kTransactionManager && error == std::errc() &&
      end == sender.id.data() + sender.id.size()) {
    workshop::Transaction with_id = static_cast<const workshop::Transaction&>(*alert);
    with_id.set_id(id);
    alert = sim::make_message(std::move(with_id));
  }
  return {std::string(kAlertsEgress), std::move(alert)};
}

std::pair<std::string, sim::remote::TypedValue> WorkshopConventions::encode_egress(
    std::string_view egress, const sim::Message& message) const {
  if (egress != kAlertsEgress) throw wire::WireError(fmt::format("no wire form for egress '{}'", egress));
  return {std::string(wire::kAlertsEgress), wire::alert_record(*message)};
}

}  // namespace fraudsim
