#include "model/traffic.h"

#include <fmt/format.h>

#include "model/population_traffic.h"
#include "model/replay_traffic.h"
#include "model/scenario.h"
#include "model/workshop_traffic.h"

namespace fraudsim {

void Ingress::transaction(sim::Runtime& runtime, workshop::Transaction transaction) {
  const std::uint64_t id = next_id_++;
  transaction.set_id(id);
  transaction.set_timestamp(runtime.now());
  observer_.on_transaction(runtime.now(), transaction);
  runtime.ingest(runtime.now(), types_.transaction_manager, std::to_string(id),
                 sim::make_message(std::move(transaction)));
}

void Ingress::confirmation(sim::Runtime& runtime, std::string account) {
  workshop::ConfirmFraud confirm;
  confirm.set_account(std::move(account));
  observer_.on_confirmation(runtime.now(), confirm);
  const std::string id = confirm.account();
  runtime.ingest(runtime.now(), types_.fraud_count, id, sim::make_message(std::move(confirm)));
}

std::unique_ptr<TrafficSource> make_traffic_source(const Scenario& scenario, Ingress& ingress) {
  switch (scenario.traffic.generator) {
    case Generator::kWorkshop:
      return std::make_unique<WorkshopTraffic>(scenario, ingress);
    case Generator::kPopulation:
      return std::make_unique<PopulationTraffic>(scenario, ingress);
    case Generator::kReplay:
      return std::make_unique<ReplayTraffic>(scenario, ingress);
  }
  return nullptr;
}

std::string format_account(std::uint64_t number) { return fmt::format("0x{:08X}", number); }

}  // namespace fraudsim
