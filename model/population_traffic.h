#pragma once
// A population of accounts that come back, for questions where the fraud window matters.
//
// Legitimate traffic: Poisson arrivals at accounts x activity per second in all; each transaction
// picks its account by activity (log-normal around the mean, fixed per account), its merchant by a
// Zipf popularity, and a log-normal amount. Fraud: accounts are compromised at random (Poisson,
// compromise_rate per account); a compromise lasts an exponential time (mean burst_length) and
// produces fraudulent transactions at burst_rate, at any merchant, with larger amounts. Customers
// confirm a share of true frauds after a log-normal delay. Every transaction carries its truth.
//
// Draws are keyed by entity (transaction number, account, compromise, fraud), so the traffic is
// the same for every setting of the pipeline.
#include <map>
#include <string>
#include <vector>

#include "model/traffic.h"
#include "sim/random.h"

namespace fraudsim {

class PopulationTraffic : public TrafficSource {
 public:
  PopulationTraffic(const Scenario& scenario, Ingress& ingress);
  void start(sim::Runtime& runtime) override;

 private:
  struct Compromise {
    std::uint32_t account;
    sim::Time end;
    std::uint64_t frauds = 0;
  };

  void emit_legitimate(sim::Runtime& runtime, std::uint64_t k);
  void begin_compromise(sim::Runtime& runtime, std::uint64_t c);
  void emit_fraud(sim::Runtime& runtime, std::uint64_t c);
  void schedule_next_fraud(sim::Runtime& runtime, std::uint64_t c, Compromise& compromise);
  void confirm(sim::Runtime& runtime, std::uint64_t confirmation);
  sim::Time after(sim::Time now, double seconds) const;

  Ingress& ingress_;
  const Scenario& scenario_;
  std::vector<std::string> accounts_;
  std::vector<std::string> merchants_;
  sim::WeightedChoice account_by_activity_;
  sim::WeightedChoice merchant_by_popularity_;
  double legitimate_rate_;  // per second, all accounts
  double compromise_rate_;  // per second, all accounts
  sim::StreamKey legitimate_stream_, compromise_stream_, fraud_stream_;
  sim::TimerId legitimate_timer_ = 0, compromise_timer_ = 0, fraud_timer_ = 0, confirm_timer_ = 0;
  std::map<std::uint64_t, Compromise> compromises_;         // active, by number
  std::map<std::uint64_t, std::uint32_t> confirmations_;    // pending: number -> account
  std::uint64_t next_confirmation_ = 0;
};

}  // namespace fraudsim
