#pragma once
// A scenario: every setting of one run. Loaded from an INI file plus --set overrides; every key has
// a default (the workshop's value where the workshop has one). `fraudsim keys` lists them all.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/endpoints.h"
#include "model/expectations.h"
#include "model/managed_model.h"
#include "model/merchant_function.h"
#include "model/merchant_service.h"
#include "model/model_endpoint.h"
#include "model/score_rules.h"
#include "model/weighted_model.h"
#include "sim/fingerprint.h"
#include "sim/runtime.h"
#include "sim/settings.h"

namespace fraudsim {

enum class Generator { kWorkshop, kPopulation, kReplay };

// Field meanings, units and defaults are in scenario_schema() (scenario.cpp), the one source of
// defaults; rates are per second, durations in sim::Time.
struct TrafficSettings {
  Generator generator{};
  double rate{};  // workshop: transactions per second, evenly spaced
  // population
  std::int64_t accounts{};
  double activity{};         // mean legitimate transactions per account per second
  double activity_spread{};  // sigma of the log-normal activity of each account
  std::int64_t merchants{};
  double merchant_skew{};  // Zipf exponent of merchant popularity
  double amount_median{};  // USD
  double amount_spread{};  // sigma of log(amount)
  // replay
  std::string replay_transactions;
  std::string replay_confirmations;
};

struct FraudSettings {
  sim::Time window{};
  bool reproduce_expire_defect{};
  // workshop generator: confirmations fed back from alerts
  double alert_confirm_share{};
  double confirm_limit{};  // confirmations per second at most
  // population generator: compromised accounts and the customers who report them
  double compromise_rate{};    // compromises per account per second
  sim::Time burst_length{};    // mean length of a compromise
  double burst_rate{};         // fraudulent transactions per second while compromised
  double amount_median{};
  double amount_spread{};
  double confirm_share{};      // share of true frauds the customer confirms
  sim::Time confirm_delay_median{};
  double confirm_delay_spread{};
};

enum class ModelKind { kWorkshop, kWeighted };

struct ModelSettings {
  int threshold{};  // alert when score > threshold
  ModelKind kind{};
  ModelWeights weights;
  ScoreRules rules;  // applied to every score, in order
  // The extra features of the FeatureVector (model.extra_features).
  bool feature_merchant = false;
  bool feature_since_fraud = false;
};

// What happens when a call's timeout is spent. StateFun fails the job and restores it from its
// last checkpoint; fraudsim offers `fail` (stop and report) and leaves room for `restore`.
enum class CallTimeoutPolicy { kFail };

struct Scenario {
  std::string name;  // the file name without directory and extension
  std::string path;
  std::uint64_t seed{};
  sim::Time duration{};
  sim::Time series_interval{};
  std::vector<sim::FingerprintRecipe> fingerprint_recipes;  // kept beside the main fingerprint
  sim::RuntimeOptions runtime;
  TrafficSettings traffic;
  FraudSettings fraud;
  MerchantServiceSettings merchant;
  MerchantRetryPolicy merchant_retry;
  MerchantCache merchant_cache;
  ModelSettings model;
  ModelCallSettings model_calls;
  ModelServerSettings model_server;  // the model's server, when fraudsim runs it (model.server)
  // Remote functions: where ([endpoints]), and the network to the ones other than the model (the
  // model's is model_calls). No restarts there.
  std::vector<EndpointRule> endpoints;
  ModelCallSettings remote_calls;
  int remote_connections{};
  sim::Time remote_wall_timeout{};  // wall clock: an HTTP request unanswered by then has failed
  CallTimeoutPolicy on_call_timeout{};
  // [expect]: bounds on the run's summary, checked after it; they change nothing it does.
  std::vector<Expectation> expectations;
  // Every key with the value text in force, for the summary.
  std::map<std::string, std::string> effective;
};

const sim::SettingsSchema<Scenario>& scenario_schema();

// Loads a scenario file, then the endpoints of a StateFun module file if given, then the overrides
// ("section.key=value") in order, then `variation` (assignments that name their own origin), then
// `seed` if given. Throws sim::InputError naming file, line, key and value for any bad input.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       std::optional<std::string> seed = std::nullopt,
                       std::optional<std::string> module = std::nullopt,
                       const std::vector<sim::SettingAssignment>& variation = {});

// A scenario from defaults and assignments alone (for tests and tools).
Scenario make_scenario(const std::vector<std::string>& assignments);

}  // namespace fraudsim
