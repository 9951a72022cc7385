#include "model/fraud_count.h"

#include "model/messages.pb.h"
#include "model/wire_codec.h"

namespace fraudsim {

using workshop::ConfirmFraud;
using workshop::ExpireFraud;
using workshop::QueryFraud;
using workshop::ReportedFraud;

FraudCount::FraudCount(sim::TypeId self_type, sim::Time window, bool reproduce_expire_defect,
                       bool report_last_confirmed)
    : self_type_(self_type),
      window_(window),
      reproduce_expire_defect_(reproduce_expire_defect),
      report_last_confirmed_(report_last_confirmed) {}

void FraudCount::invoke(sim::Context& context, const sim::Message& message) {
  if (sim::message_as<ConfirmFraud>(message)) {
    const int* count = count_.get(context);
    count_.set(context, (count ? *count : 0) + 1);
    if (report_last_confirmed_) last_confirmed_.set(context, context.now());
    context.send_after(window_, self_type_, context.self_id(), sim::make_message(ExpireFraud{}));
  } else if (sim::message_as<ExpireFraud>(message)) {
    expire(context);
  } else if (sim::message_as<QueryFraud>(message) && context.has_caller()) {
    // A query from ingress has nobody to answer; it is ignored.
    const int* count = count_.get(context);
    ReportedFraud reply;
    reply.set_count(count ? *count : 0);
    if (const sim::Time* last = last_confirmed_.get(context)) reply.set_last_confirmed(*last);
    context.reply(sim::make_message(std::move(reply)));
  }
}

void FraudCount::expire(sim::Context& context) {
  const int* stored = count_.get(context);
  const int count = stored ? *stored : 0;
  if (reproduce_expire_defect_) {
    if (count == 0 || count == 1) {
      count_.clear(context);
      last_confirmed_.clear(context);
    }
    count_.set(context, count - 1);
    return;
  }
  if (count <= 1) {
    count_.clear(context);
    last_confirmed_.clear(context);  // the window is empty
  } else {
    count_.set(context, count - 1);
  }
}

std::vector<std::unique_ptr<sim::remote::HostedState>> FraudCount::hosted_states() {
  std::vector<std::unique_ptr<sim::remote::HostedState>> states;
  states.push_back(std::make_unique<sim::remote::HostedValue<int>>(
      count_, std::string(sim::protocol::kIntType), wire::encode_count, wire::decode_count));
  return states;
}

}  // namespace fraudsim
