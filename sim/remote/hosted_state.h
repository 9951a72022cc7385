#pragma once
// A function's persisted value as a hosted (served) function exposes it to a StateFun runtime: by
// name and type, as wire bytes, loaded before a batch and saved after it.
#include <functional>
#include <optional>

#include "sim/remote/conventions.h"
#include "sim/remote/state_spec.h"
#include "sim/runtime.h"

namespace sim::remote {

class HostedState {
 public:
  virtual ~HostedState() = default;
  virtual StateSpec spec() const = 0;
  virtual std::optional<TypedValue> save(Context& context) = 0;
  // Throws std::exception when the bytes do not hold a value of the state's type.
  virtual void load(Context& context, const TypedValue& value) = 0;
  virtual void clear(Context& context) = 0;
};

template <class T>
class HostedValue : public HostedState {
 public:
  using ToWire = std::function<TypedValue(const T&)>;
  using FromWire = std::function<T(const TypedValue&)>;

  HostedValue(PersistedValue<T>& value, std::string type_name, ToWire to_wire, FromWire from_wire)
      : value_(value), type_name_(std::move(type_name)), to_wire_(std::move(to_wire)),
        from_wire_(std::move(from_wire)) {}

  StateSpec spec() const override {
    return StateSpec{value_.name(), type_name_,
                     value_.ttl() > 0 ? StateExpiry::kAfterWrite : StateExpiry::kNone, value_.ttl()};
  }
  std::optional<TypedValue> save(Context& context) override {
    const T* current = value_.get(context);
    if (current == nullptr) return std::nullopt;
    return to_wire_(*current);
  }
  void load(Context& context, const TypedValue& value) override {
    value_.set(context, from_wire_(value));
  }
  void clear(Context& context) override { value_.clear(context); }

 private:
  PersistedValue<T>& value_;
  std::string type_name_;
  ToWire to_wire_;
  FromWire from_wire_;
};

}  // namespace sim::remote
