#include "sim/protocol/typed_value.h"

#include "sim/protocol/types.pb.h"

namespace sim::protocol {

namespace types = io::statefun::sdk::types;

namespace {

template <class Wrapper, class Value>
TypedValue wrapped(std::string_view type_name, Value value) {
  Wrapper wrapper;
  wrapper.set_value(value);
  TypedValue typed;
  typed.set_typename_(std::string(type_name));
  typed.set_has_value(true);
  typed.set_value(wrapper.SerializeAsString());
  return typed;
}

template <class Wrapper>
std::optional<Wrapper> unwrapped(const TypedValue& typed, std::string_view type_name) {
  if (typed.typename_() != type_name || !typed.has_value()) return std::nullopt;
  Wrapper wrapper;
  if (!wrapper.ParseFromString(typed.value())) return std::nullopt;
  return wrapper;
}

}  // namespace

TypedValue int_value(std::int32_t value) { return wrapped<types::IntWrapper>(kIntType, value); }

TypedValue string_value(std::string_view value) {
  return wrapped<types::StringWrapper>(kStringType, std::string(value));
}

TypedValue custom_value(std::string_view type_name, std::string_view bytes) {
  TypedValue typed;
  typed.set_typename_(std::string(type_name));
  typed.set_has_value(true);
  typed.set_value(std::string(bytes));
  return typed;
}

std::optional<std::int32_t> as_int(const TypedValue& typed) {
  auto w = unwrapped<types::IntWrapper>(typed, kIntType);
  return w ? std::optional<std::int32_t>(w->value()) : std::nullopt;
}

std::optional<std::string> as_string(const TypedValue& typed) {
  auto w = unwrapped<types::StringWrapper>(typed, kStringType);
  return w ? std::optional<std::string>(w->value()) : std::nullopt;
}

}  // namespace sim::protocol
