#pragma once
// TypedValue helpers for the SDKs' built-in types, with their typenames and encodings exactly as
// the official SDKs put them on the wire (a serialized one-field wrapper; proto3 defaults, such as
// 0 or "", are empty bytes with has_value still true).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/protocol/request_reply.pb.h"

namespace sim::protocol {

inline constexpr std::string_view kIntType = "io.statefun.types/int";
inline constexpr std::string_view kStringType = "io.statefun.types/string";
inline constexpr std::string_view kBoolType = "io.statefun.types/bool";
inline constexpr std::string_view kKafkaRecordType =
    "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";

using io::statefun::sdk::reqreply::TypedValue;

TypedValue int_value(std::int32_t value);
TypedValue string_value(std::string_view value);
// A value of a custom type: the typename and the bytes as they are (e.g. JSON text).
TypedValue custom_value(std::string_view type_name, std::string_view bytes);

// The value when `typed` holds one of this type; std::nullopt for another type, null or bad bytes.
std::optional<std::int32_t> as_int(const TypedValue& typed);
std::optional<std::string> as_string(const TypedValue& typed);

}  // namespace sim::protocol
