#pragma once
// A histogram of non-negative integers (e.g. latencies in microseconds) with fixed log-linear
// buckets: exact below 128, then 128 buckets per power of two (under 0.8% relative error).
// Memory is fixed, whatever the number of samples, so long runs do not grow.
#include <array>
#include <cstdint>
#include <vector>

namespace sim {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;

  void record(std::int64_t value);
  std::uint64_t count() const { return count_; }
  std::int64_t min() const { return count_ ? min_ : 0; }
  std::int64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0; }
  // The smallest recorded bucket bound v such that at least q of the samples are <= v
  // (q in [0, 1]); clamped to the exact maximum. 0 when empty.
  std::int64_t quantile(double q) const;

  // Bucket layout, for writers of histogram files.
  static std::size_t bucket_of(std::int64_t value);
  static std::int64_t bucket_low(std::size_t bucket);   // smallest value in the bucket
  static std::int64_t bucket_high(std::size_t bucket);  // largest value in the bucket
  const std::vector<std::uint64_t>& buckets() const { return buckets_; }

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t min_ = INT64_MAX;
  std::int64_t max_ = 0;
  std::int64_t sum_ = 0;  // microsecond latencies: overflows only past 9e18
};

}  // namespace sim
