#pragma once
// Seeded random numbers that stay the same across library versions and configurations.
//
// One master seed; named streams derived from it (StreamKey); within a stream, an Rng either runs
// sequentially (a process such as arrivals) or is keyed by an entity (the model's draw for
// transaction T, the merchant latency of attempt k of query Q). A keyed Rng depends only on
// (seed, stream name, entity key), never on what else was drawn before, so two configurations
// being compared see the same randomness for the same entity (common random numbers).
// The distributions are implemented here because the standard library's differ between versions.
#include <cstdint>
#include <string_view>
#include <vector>

namespace sim {

class DrawListener;  // sim/fingerprint.h

// Installs `listener` to hear every draw made on this thread (null: none) and returns the one it
// replaces. A fingerprint with random draws among its ingredients listens this way.
DrawListener* set_draw_listener(DrawListener* listener);

namespace detail {
extern thread_local DrawListener* draw_listener;
void tell_draw_listener(std::uint64_t draw);
}  // namespace detail

// Identifies one named stream under one master seed.
struct StreamKey {
  std::uint64_t value;
};

StreamKey make_stream(std::uint64_t seed, std::string_view name);

// Hashes an entity's name (e.g. a transaction id) into a key for keyed draws.
std::uint64_t entity_key(std::string_view name);

// Combines keys, e.g. (query, attempt); order matters.
std::uint64_t combine_keys(std::uint64_t a, std::uint64_t b);

// SplitMix64: a counter-based generator; the k-th draw is a bijective mix of (start + k * gamma).
class Rng {
 public:
  explicit Rng(std::uint64_t state) : state_(state) {}
  // A sequential stream.
  explicit Rng(StreamKey stream) : Rng(stream.value) {}
  // The draws that belong to one entity of a stream.
  Rng(StreamKey stream, std::uint64_t entity);

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    if (detail::draw_listener != nullptr) detail::tell_draw_listener(z);
    return z;
  }

 private:
  std::uint64_t state_;
};

// Uniform integer in [lo, hi) without modulo bias (Lemire's multiply-and-reject). Needs lo < hi.
std::int64_t uniform_int(Rng& rng, std::int64_t lo, std::int64_t hi);
// Uniform real in [0, 1) with 53 random bits.
double uniform_real(Rng& rng);
// Uniform real in [lo, hi).
double uniform_real(Rng& rng, double lo, double hi);
// True with probability p (p <= 0 never, p >= 1 always).
bool bernoulli(Rng& rng, double p);
// Exponential with the given mean (> 0).
double exponential(Rng& rng, double mean);
// Standard normal (Box-Muller; one draw of two uniforms per call, so keyed use stays simple).
double standard_normal(Rng& rng);
// Log-normal given by its median and the standard deviation of its logarithm (sigma >= 0).
double log_normal(Rng& rng, double median, double sigma);

// Weighted choice of an index in [0, n) in constant time (Walker's alias method, Vose's build).
class WeightedChoice {
 public:
  // Weights must be non-negative with a positive sum.
  explicit WeightedChoice(const std::vector<double>& weights);
  std::size_t operator()(Rng& rng) const;
  std::size_t size() const { return probability_.size(); }

 private:
  std::vector<double> probability_;
  std::vector<std::uint32_t> alias_;
};

}  // namespace sim
