#pragma once
// Recorded or hand-written traffic from CSV files, with a header line:
//   transactions:   time,account,merchant,amount[,fraud]
//   confirmations:  time,account
// `time` is a duration since the start of the run (e.g. 0, 90s, 1500ms, 2d); rows are in time
// order; `amount` is whole USD; `fraud` is 1/0 (or true/false, or empty for unknown). Both files
// are read and checked when the run is set up, so a bad row stops it before anything is written.
#include <string>
#include <vector>

#include "model/traffic.h"

namespace fraudsim {

struct ReplayTransaction {
  sim::Time time;
  workshop::Transaction transaction;  // account, merchant, amount, truth
};

struct ReplayConfirmation {
  sim::Time time;
  std::string account;
};

// Throw sim::InputError naming the file and line of a bad row.
std::vector<ReplayTransaction> read_replay_transactions(const std::string& path);
std::vector<ReplayConfirmation> read_replay_confirmations(const std::string& path);

class ReplayTraffic : public TrafficSource {
 public:
  ReplayTraffic(const Scenario& scenario, Ingress& ingress);
  void start(sim::Runtime& runtime) override;

 private:
  Ingress& ingress_;
  std::vector<ReplayTransaction> transactions_;
  std::vector<ReplayConfirmation> confirmations_;
  sim::TimerId transactions_timer_ = 0, confirmations_timer_ = 0;
};

}  // namespace fraudsim
