#include "sim/random.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include <xxhash.h>

#include "sim/fingerprint.h"

namespace sim {

namespace detail {
thread_local DrawListener* draw_listener = nullptr;
void tell_draw_listener(std::uint64_t draw) { draw_listener->on_draw(draw); }
}  // namespace detail

DrawListener* set_draw_listener(DrawListener* listener) {
  DrawListener* previous = detail::draw_listener;
  detail::draw_listener = listener;
  return previous;
}

namespace {

__extension__ typedef unsigned __int128 uint128;

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

StreamKey make_stream(std::uint64_t seed, std::string_view name) {
  return StreamKey{XXH3_64bits_withSeed(name.data(), name.size(), mix64(seed))};
}

std::uint64_t entity_key(std::string_view name) { return XXH3_64bits(name.data(), name.size()); }

std::uint64_t combine_keys(std::uint64_t a, std::uint64_t b) {
  return mix64(a ^ mix64(b + 0x9E3779B97F4A7C15ULL));
}

Rng::Rng(StreamKey stream, std::uint64_t entity) : state_(combine_keys(stream.value, entity)) {}

std::int64_t uniform_int(Rng& rng, std::int64_t lo, std::int64_t hi) {
  if (!(lo < hi)) throw std::invalid_argument("uniform_int needs lo < hi");
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  // Lemire: the high word of x * range is uniform once the low word is outside the biased zone.
  uint128 product = static_cast<uint128>(rng.next_u64()) * range;
  auto low = static_cast<std::uint64_t>(product);
  if (low < range) {
    const std::uint64_t threshold = (0 - range) % range;
    while (low < threshold) {
      product = static_cast<uint128>(rng.next_u64()) * range;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return lo + static_cast<std::int64_t>(static_cast<std::uint64_t>(product >> 64));
}

double uniform_real(Rng& rng) {
  return static_cast<double>(rng.next_u64() >> 11) * 0x1.0p-53;
}

double uniform_real(Rng& rng, double lo, double hi) { return lo + (hi - lo) * uniform_real(rng); }

bool bernoulli(Rng& rng, double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return uniform_real(rng) < p;
}

double exponential(Rng& rng, double mean) {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -mean * std::log(1.0 - uniform_real(rng));
}

double standard_normal(Rng& rng) {
  const double u1 = 1.0 - uniform_real(rng);  // (0, 1]
  const double u2 = uniform_real(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double log_normal(Rng& rng, double median, double sigma) {
  return median * std::exp(sigma * standard_normal(rng));
}

WeightedChoice::WeightedChoice(const std::vector<double>& weights)
    : probability_(weights.size()), alias_(weights.size()) {
  const std::size_t n = weights.size();
  if (n == 0) throw std::invalid_argument("weighted choice needs at least one weight");
  double total = 0.0;
  for (double w : weights) {
    if (!(w >= 0.0) || !std::isfinite(w)) {
      throw std::invalid_argument("weights must be finite and non-negative");
    }
    total += w;
  }
  if (!(total > 0.0)) throw std::invalid_argument("weights must have a positive sum");

  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left has probability 1 up to rounding.
  for (std::uint32_t i : large) probability_[i] = 1.0, alias_[i] = i;
  for (std::uint32_t i : small) probability_[i] = 1.0, alias_[i] = i;
}

std::size_t WeightedChoice::operator()(Rng& rng) const {
  const auto column = static_cast<std::size_t>(
      uniform_int(rng, 0, static_cast<std::int64_t>(probability_.size())));
  return uniform_real(rng) < probability_[column] ? column : alias_[column];
}

}  // namespace sim
