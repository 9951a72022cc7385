#include "model/merchant_function.h"

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

MerchantFunction::MerchantFunction(const MerchantService& service, int attempts,
                                   PipelineObserver& observer)
    : service_(service), attempts_(attempts), observer_(observer) {}

void MerchantFunction::invoke(sim::Context& context, const sim::Message& message) {
  if (!sim::message_as<QueryMerchantScore>(message)) return;
  MerchantMetadata metadata;
  *metadata.mutable_caller() = from_address(context.caller());
  metadata.set_remaining_attempts(attempts_);
  metadata.set_tries(0);
  start_attempt(context, std::move(metadata));
}

void MerchantFunction::start_attempt(sim::Context& context, MerchantMetadata metadata) {
  const std::uint64_t query =
      sim::combine_keys(sim::entity_key(metadata.caller().id()), sim::entity_key(context.self_id()));
  const sim::AsyncOutcome outcome = service_.attempt(query, metadata.tries());
  metadata.set_tries(metadata.tries() + 1);
  context.start_async(outcome, sim::make_message(std::move(metadata)));
}

void MerchantFunction::on_async_result(sim::Context& context, const sim::AsyncResult& result) {
  observer_.on_merchant_attempt(context.now(), result.status);
  MerchantMetadata metadata = static_cast<const MerchantMetadata&>(*result.metadata);
  switch (result.status) {
    case sim::AsyncStatus::kSuccess:
      observer_.on_merchant_reply(context.now(), false);
      context.send(to_address(metadata.caller()), result.value);
      return;
    case sim::AsyncStatus::kUnknown:
      start_attempt(context, std::move(metadata));
      return;
    case sim::AsyncStatus::kFailure:
      metadata.set_remaining_attempts(metadata.remaining_attempts() - 1);
      if (metadata.remaining_attempts() > 0) {
        start_attempt(context, std::move(metadata));
        return;
      }
      observer_.on_merchant_reply(context.now(), true);
      MerchantScore error;
      error.set_error(true);
      context.send(to_address(metadata.caller()), sim::make_message(std::move(error)));
      return;
  }
}

}  // namespace fraudsim
