#include "model/merchant_function.h"

#include <algorithm>
#include <cmath>

#include "model/wire_codec.h"

namespace fraudsim {

using workshop::MerchantMetadata;
using workshop::MerchantScore;
using workshop::QueryMerchantScore;

namespace {

sim::Address to_address(const workshop::Address& address) {
  return sim::Address{address.namespace_() + "/" + address.type(), address.id()};
}

workshop::Address from_address(const sim::Address& address) {
  workshop::Address out;
  const auto slash = address.type.rfind('/');
  out.set_namespace_(address.type.substr(0, slash));
  out.set_type(address.type.substr(slash + 1));
  out.set_id(address.id);
  return out;
}

}  // namespace

MerchantFunction::MerchantFunction(const MerchantService& service, const MerchantRetryPolicy& policy,
                                   sim::StreamKey jitter_stream, PipelineObserver& observer,
                                   MerchantCache cache)
    : service_(service), policy_(policy), jitter_stream_(jitter_stream), observer_(observer),
      cache_(cache), score_("score", cache.ttl) {}

sim::Time MerchantFunction::backoff_after(const MerchantRetryPolicy& policy, int failures,
                                          sim::Rng& rng) {
  sim::Time wait = 0;
  switch (policy.backoff) {
    case Backoff::kNone: return 0;
    case Backoff::kFixed: wait = policy.backoff_initial; break;
    case Backoff::kExponential: {
      wait = policy.backoff_initial;
      for (int i = 1; i < failures && wait < policy.backoff_max; ++i) wait *= 2;
      wait = std::min(wait, policy.backoff_max);
      break;
    }
  }
  const double shortened = policy.jitter * sim::uniform_real(rng);
  return static_cast<sim::Time>(std::llround(static_cast<double>(wait) * (1.0 - shortened)));
}

std::uint64_t MerchantFunction::query_key(const sim::Context& context,
                                          const MerchantMetadata& metadata) const {
  return sim::combine_keys(sim::entity_key(metadata.caller().id()),
                           sim::entity_key(context.self_id()));
}

void MerchantFunction::invoke(sim::Context& context, const sim::Message& message) {
  // A query from ingress has nobody to answer; it is ignored.
  if (!sim::message_as<QueryMerchantScore>(message) || !context.has_caller()) return;
  MerchantMetadata metadata;
  *metadata.mutable_caller() = from_address(context.caller());
  if (cache_.ttl > 0) {
    if (const int* cached = score_.get(context)) {
      MerchantScore score;
      score.set_score(*cached);
      reply(context, metadata, sim::make_message(std::move(score)), false);
      return;
    }
  }
  metadata.set_remaining_attempts(policy_.attempts);
  start_attempt(context, std::move(metadata), 0);
}

void MerchantFunction::start_attempt(sim::Context& context, MerchantMetadata metadata,
                                     sim::Time backoff) {
  // The attempt itself starts after the backoff; the operation covers both.
  sim::AsyncOutcome outcome =
      service_.attempt(context.now() + backoff, query_key(context, metadata), metadata.tries());
  if (outcome.delay != sim::kNever) outcome.delay += backoff;
  const sim::Time timeout = policy_.timeout == sim::kNever ? sim::kNever : backoff + policy_.timeout;
  metadata.set_tries(metadata.tries() + 1);
  metadata.set_backoff_waited(metadata.backoff_waited() + backoff);
  context.start_async(outcome, sim::make_message(std::move(metadata)), timeout);
}

void MerchantFunction::reply(sim::Context& context, const MerchantMetadata& metadata,
                             const sim::Message& score, bool error) {
  observer_.on_merchant_reply(context.now(), metadata.caller().id(), error, metadata.tries(),
                              metadata.backoff_waited());
  context.send(to_address(metadata.caller()), score);
}

void MerchantFunction::on_async_result(sim::Context& context, const sim::AsyncResult& result) {
  observer_.on_merchant_attempt(context.now(), result.status);
  MerchantMetadata metadata = static_cast<const MerchantMetadata&>(*result.metadata);
  switch (result.status) {
    case sim::AsyncStatus::kSuccess: {
      const int score = static_cast<const MerchantScore&>(*result.value).score();
      if (cache_.ttl > 0 && (score != 0 || cache_.cache_zero)) score_.set(context, score);
      reply(context, metadata, result.value, false);
      return;
    }
    case sim::AsyncStatus::kUnknown:
      start_attempt(context, std::move(metadata), 0);
      return;
    case sim::AsyncStatus::kFailure:
    case sim::AsyncStatus::kTimeout: {
      metadata.set_remaining_attempts(metadata.remaining_attempts() - 1);
      if (metadata.remaining_attempts() > 0) {
        const int failures = policy_.attempts - metadata.remaining_attempts();
        sim::Rng rng(jitter_stream_, sim::combine_keys(query_key(context, metadata),
                                                       static_cast<std::uint64_t>(metadata.tries())));
        const sim::Time wait = backoff_after(policy_, failures, rng);
        start_attempt(context, std::move(metadata), wait);
        return;
      }
      MerchantScore error;
      error.set_error(true);
      reply(context, metadata, sim::make_message(std::move(error)), true);
      return;
    }
  }
}

std::vector<std::unique_ptr<sim::remote::HostedState>> MerchantFunction::hosted_states() {
  std::vector<std::unique_ptr<sim::remote::HostedState>> states;
  if (cache_.ttl > 0) {
    states.push_back(std::make_unique<sim::remote::HostedValue<int>>(
        score_, std::string(sim::protocol::kIntType), wire::encode_count, wire::decode_count));
  }
  return states;
}

}  // namespace fraudsim
