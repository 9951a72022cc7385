#pragma once
// A running 64-bit fingerprint of processed events, after OMNeT++'s fingerprints: a cheap chained
// hash in which any change of behaviour (a time, an order, an address, a payload) shows.
#include <cstdint>
#include <string>
#include <string_view>

namespace sim {

std::uint64_t hash_bytes(std::string_view bytes);

class Fingerprint {
 public:
  // Folds one record (already reduced to a few 64-bit words) into the fingerprint.
  void add(const std::uint64_t* words, std::size_t count);
  std::uint64_t value() const { return value_; }
  // 16 lowercase hex digits.
  std::string hex() const;

 private:
  std::uint64_t value_ = 0;
};

}  // namespace sim
