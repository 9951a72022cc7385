#pragma once
// Messages travel between functions as immutable protobuf messages, shared rather than copied.
#include <memory>
#include <typeinfo>

#include <google/protobuf/message.h>

namespace sim {

using Message = std::shared_ptr<const google::protobuf::Message>;

// The message as T when it is one, else nullptr. Compares dynamic types: GetDescriptor() costs a
// once-flag and a thread-local lookup per call, too much for every message of a hot path.
template <class T>
const T* message_as(const google::protobuf::Message& message) {
  return typeid(message) == typeid(T) ? static_cast<const T*>(&message) : nullptr;
}

template <class T>
const T* message_as(const Message& message) {
  return message ? message_as<T>(*message) : nullptr;
}

template <class T>
Message make_message(T value) {
  return std::make_shared<const T>(std::move(value));
}

}  // namespace sim
