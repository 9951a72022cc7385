#include "sim/histogram.h"

#include <bit>
#include <cmath>
#include <stdexcept>

namespace sim {

std::size_t Histogram::bucket_of(std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(value);
  if (v < static_cast<std::uint64_t>(kSubBuckets)) return static_cast<std::size_t>(v);
  const int shift = static_cast<int>(std::bit_width(v)) - 1 - kSubBucketBits;  // v >> shift lies in [128, 256)
  return static_cast<std::size_t>(kSubBuckets + shift * kSubBuckets +
                                  static_cast<std::int64_t>((v >> shift) - kSubBuckets));
}

std::int64_t Histogram::bucket_low(std::size_t bucket) {
  const auto b = static_cast<std::int64_t>(bucket);
  if (b < kSubBuckets) return b;
  const std::int64_t shift = (b - kSubBuckets) / kSubBuckets;
  const std::int64_t mantissa = kSubBuckets + (b - kSubBuckets) % kSubBuckets;
  return mantissa << shift;
}

std::int64_t Histogram::bucket_high(std::size_t bucket) {
  const auto b = static_cast<std::int64_t>(bucket);
  if (b < kSubBuckets) return b;
  const std::int64_t shift = (b - kSubBuckets) / kSubBuckets;
  return bucket_low(bucket) + (std::int64_t{1} << shift) - 1;
}

void Histogram::record(std::int64_t value) {
  if (value < 0) throw std::invalid_argument("Histogram::record: negative value");
  const std::size_t bucket = bucket_of(value);
  if (bucket >= buckets_.size()) buckets_.resize(bucket + 1, 0);
  ++buckets_[bucket];
  ++count_;
  sum_ += value;
  if (value < min_) min_ = value;
  if (value > max_) max_ = value;
}

std::int64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q <= 0) return min_;
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank && buckets_[b] > 0) {
      const std::int64_t high = bucket_high(b);
      return high < max_ ? high : max_;
    }
  }
  return max_;
}

}  // namespace sim
