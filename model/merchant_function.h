#pragma once
// MerchantFunction, one instance per merchant: asks the merchant-score service for each query and
// replies MerchantScore{score} or, after `attempts` failed attempts, MerchantScore{error} to the
// original caller (carried with every attempt as metadata). An "unknown" result re-queries at once
// without using up an attempt, as the workshop's code does. Beyond the workshop: an attempt may
// time out (its late answer is then dropped), and attempts may be spaced by a backoff.
// Like the workshop's StateFun 3 edition, it may cache a merchant's score (state "score",
// expire-after-write): a query within the cache's life is answered at once, without the service.
#include <memory>
#include <vector>

#include "model/merchant_service.h"
#include "model/messages.pb.h"
#include "model/observer.h"
#include "sim/random.h"
#include "sim/remote/hosted_state.h"
#include "sim/runtime.h"

namespace fraudsim {

enum class Backoff { kNone, kFixed, kExponential };

struct MerchantRetryPolicy {
  int attempts = 3;                 // the first included
  sim::Time timeout = sim::kNever;  // per attempt; kNever: wait as long as it takes (the workshop)
  Backoff backoff = Backoff::kNone;
  sim::Time backoff_initial = 100 * sim::kMillisecond;
  sim::Time backoff_max = 10 * sim::kSecond;
  double jitter = 0.5;  // a backoff is shortened by up to this share, drawn at random
};

struct MerchantCache {
  sim::Time ttl = 0;        // 0: no cache, every query asks the service (the seed edition)
  bool cache_zero = true;   // false: a score of 0 is never cached (the StateFun 3 edition's quirk)
};

class MerchantFunction : public sim::StatefulFunction {
 public:
  MerchantFunction(const MerchantService& service, const MerchantRetryPolicy& policy,
                   sim::StreamKey jitter_stream, PipelineObserver& observer,
                   MerchantCache cache = {});
  void invoke(sim::Context& context, const sim::Message& message) override;
  void on_async_result(sim::Context& context, const sim::AsyncResult& result) override;

  // The wait before the attempt that follows `failures` failed attempts of a query.
  static sim::Time backoff_after(const MerchantRetryPolicy& policy, int failures, sim::Rng& rng);
  // Its persisted value as a served function declares it: "score", an int, when it caches.
  std::vector<std::unique_ptr<sim::remote::HostedState>> hosted_states();

 private:
  void start_attempt(sim::Context& context, workshop::MerchantMetadata metadata, sim::Time backoff);
  std::uint64_t query_key(const sim::Context& context, const workshop::MerchantMetadata& m) const;
  void reply(sim::Context& context, const workshop::MerchantMetadata& metadata,
             const sim::Message& score, bool error);

  const MerchantService& service_;
  MerchantRetryPolicy policy_;
  sim::StreamKey jitter_stream_;
  PipelineObserver& observer_;
  MerchantCache cache_;
  sim::PersistedValue<int> score_;
};

}  // namespace fraudsim
