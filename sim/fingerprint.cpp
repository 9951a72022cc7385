#include "sim/fingerprint.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace sim {

std::uint64_t hash_bytes(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

void Fingerprint::add(const std::uint64_t* words, std::size_t count) {
  // Chaining through the seed makes the fingerprint depend on the order of records.
  value_ = XXH3_64bits_withSeed(words, count * sizeof(std::uint64_t), value_);
}

std::string Fingerprint::hex() const { return fmt::format("{:016x}", value_); }

}  // namespace sim
