#include "model/scenario.h"

#include "model/statefun_module.h"
#include "model/pipeline_types.h"
#include "sim/remote/http_url.h"
#include "sim/remote/server_process.h"

#include <filesystem>

#include <fmt/format.h>

namespace fraudsim {
namespace {

using sim::parse_bool;
using sim::parse_duration_value;
using sim::parse_integer;
using sim::parse_probability;
using sim::parse_rate;
using sim::parse_real;
using sim::ValueError;

constexpr sim::Time kLongestRun = 3650 * sim::kDay;

// A server command's words, or none for "none".
std::vector<std::string> server_command(std::string_view text) {
  if (sim::trim(text) == "none") return {};
  try {
    return sim::remote::split_command(text);
  } catch (const std::invalid_argument& e) {
    throw ValueError(e.what());
  }
}

sim::Time duration_between(std::string_view text, sim::Time min, sim::Time max) {
  const sim::Time t = parse_duration_value(text);
  if (t < min || t > max) {
    throw ValueError(fmt::format("must lie between {} and {}", sim::format_duration(min),
                                 sim::format_duration(max)));
  }
  return t;
}

double rate_between(std::string_view text, double min_per_second, double max_per_second) {
  const double r = parse_rate(text);
  if (r < min_per_second || r > max_per_second) {
    throw ValueError(fmt::format("must lie between {} and {}", sim::format_rate(min_per_second),
                                 sim::format_rate(max_per_second)));
  }
  return r;
}

// One of the named choices, as its enum value.
template <class Enum>
Enum choose(std::string_view text, std::initializer_list<std::pair<const char*, Enum>> options) {
  std::vector<std::string> names;
  for (const auto& option : options) names.emplace_back(option.first);
  const std::string chosen = sim::parse_choice(text, names);
  for (const auto& option : options) {
    if (chosen == option.first) return option.second;
  }
  return options.begin()->second;  // not reached: parse_choice accepted one of the names
}

sim::SettingsSchema<Scenario> build_schema() {
  sim::SettingsSchema<Scenario> s;
  // [run]
  s.add("run.seed", "1", "master seed of every random stream",
        [](Scenario& x, std::string_view v) {
          x.seed = static_cast<std::uint64_t>(parse_integer(v, 0, INT64_MAX));
        });
  s.add("run.duration", "1h", "virtual time simulated (the horizon; events stamped at it run)",
        [](Scenario& x, std::string_view v) { x.duration = duration_between(v, 1, kLongestRun); });
  s.add("run.series_interval", "1d", "width of one row of the time series",
        [](Scenario& x, std::string_view v) {
          x.series_interval = duration_between(v, sim::kSecond, kLongestRun);
        });
  s.add("run.fingerprints", "",
        "more fingerprints beside the main one (tkamc), each a recipe of ingredients: t time, k "
        "kind, a addresses, m message type, c content, r random draws; e.g. tka, r",
        [](Scenario& x, std::string_view v) {
          x.fingerprint_recipes.clear();
          std::string_view rest = sim::trim(v);
          while (!rest.empty()) {
            const auto comma = rest.find(',');
            const std::string_view letters = sim::trim(rest.substr(0, comma));
            const sim::FingerprintRecipe recipe = sim::parse_fingerprint_recipe(letters);
            for (const auto& kept : x.fingerprint_recipes) {
              if (kept.letters == recipe.letters) {
                throw sim::ValueError(fmt::format("the recipe '{}' is given twice", recipe.letters));
              }
            }
            x.fingerprint_recipes.push_back(recipe);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
          }
        });
  // [runtime]
  s.add("runtime.hop_latency", "1ms", "delivery delay of one message between functions",
        [](Scenario& x, std::string_view v) {
          x.runtime.hop_latency = duration_between(v, 0, sim::kHour);
        });
  // [traffic]
  s.add("traffic.generator", "workshop",
        "workshop (the workshop's generator), population (returning accounts with fraud "
        "bursts) or replay (CSV files)",
        [](Scenario& x, std::string_view v) {
          x.traffic.generator = choose<Generator>(v, {{"workshop", Generator::kWorkshop},
                                                      {"population", Generator::kPopulation},
                                                      {"replay", Generator::kReplay}});
        });
  s.add("traffic.rate", "100/s", "workshop: transactions per second, evenly spaced",
        [](Scenario& x, std::string_view v) { x.traffic.rate = rate_between(v, 1e-6, 1e6); });
  s.add("traffic.accounts", "10000", "population: number of accounts",
        [](Scenario& x, std::string_view v) { x.traffic.accounts = parse_integer(v, 1, 100'000'000); });
  s.add("traffic.activity", "2/d", "population: mean legitimate transactions per account",
        [](Scenario& x, std::string_view v) { x.traffic.activity = rate_between(v, 1e-9, 100); });
  s.add("traffic.activity_spread", "1.0",
        "population: sigma of the log-normal spread of activity between accounts",
        [](Scenario& x, std::string_view v) { x.traffic.activity_spread = parse_real(v, 0, 5); });
  s.add("traffic.merchants", "3375", "population: number of merchants (at most 3375)",
        [](Scenario& x, std::string_view v) { x.traffic.merchants = parse_integer(v, 1, 3375); });
  s.add("traffic.merchant_skew", "1.0", "population: Zipf exponent of merchant popularity",
        [](Scenario& x, std::string_view v) { x.traffic.merchant_skew = parse_real(v, 0, 5); });
  s.add("traffic.amount_median", "40", "population: median legitimate amount, USD",
        [](Scenario& x, std::string_view v) { x.traffic.amount_median = parse_real(v, 1, 1e6); });
  s.add("traffic.amount_spread", "1.0", "population: sigma of log(amount)",
        [](Scenario& x, std::string_view v) { x.traffic.amount_spread = parse_real(v, 0, 5); });
  s.add("traffic.transactions", "", "replay: CSV of transactions (time,account,merchant,amount[,fraud])",
        [](Scenario& x, std::string_view v) { x.traffic.replay_transactions = std::string(v); });
  s.add("traffic.confirmations", "", "replay: CSV of confirmations (time,account); optional",
        [](Scenario& x, std::string_view v) { x.traffic.replay_confirmations = std::string(v); });
  // [fraud]
  s.add("fraud.window", "30d", "how long a confirmed fraud counts for its account",
        [](Scenario& x, std::string_view v) { x.fraud.window = duration_between(v, 1, kLongestRun); });
  s.add("fraud.reproduce_expire_defect", "false",
        "true: FraudCount expires like the workshop's code (a count can be stored as 0 or -1)",
        [](Scenario& x, std::string_view v) { x.fraud.reproduce_expire_defect = parse_bool(v); });
  s.add("fraud.alert_confirm_share", "0.05",
        "workshop: share of alerts fed back as a ConfirmFraud for the account",
        [](Scenario& x, std::string_view v) { x.fraud.alert_confirm_share = parse_probability(v); });
  s.add("fraud.confirm_limit", "10/s", "workshop: most confirmations per second (ingress limit)",
        [](Scenario& x, std::string_view v) { x.fraud.confirm_limit = rate_between(v, 1e-6, 1e6); });
  s.add("fraud.compromise_rate", "0.001/d",
        "population: how often an account is compromised (per account)",
        [](Scenario& x, std::string_view v) { x.fraud.compromise_rate = rate_between(v, 0, 1); });
  s.add("fraud.burst_length", "12h", "population: mean length of a compromise (exponential)",
        [](Scenario& x, std::string_view v) {
          x.fraud.burst_length = duration_between(v, sim::kSecond, 365 * sim::kDay);
        });
  s.add("fraud.burst_rate", "4/h", "population: fraudulent transactions while compromised",
        [](Scenario& x, std::string_view v) { x.fraud.burst_rate = rate_between(v, 1e-9, 100); });
  s.add("fraud.amount_median", "300", "population: median fraudulent amount, USD",
        [](Scenario& x, std::string_view v) { x.fraud.amount_median = parse_real(v, 1, 1e6); });
  s.add("fraud.amount_spread", "1.0", "population: sigma of log(fraudulent amount)",
        [](Scenario& x, std::string_view v) { x.fraud.amount_spread = parse_real(v, 0, 5); });
  s.add("fraud.confirm_share", "0.6", "population: share of true frauds the customer confirms",
        [](Scenario& x, std::string_view v) { x.fraud.confirm_share = parse_probability(v); });
  s.add("fraud.confirm_delay_median", "2d",
        "population: median delay from a fraud to its confirmation (log-normal)",
        [](Scenario& x, std::string_view v) {
          x.fraud.confirm_delay_median = duration_between(v, 1, 365 * sim::kDay);
        });
  s.add("fraud.confirm_delay_spread", "0.7", "population: sigma of log(confirmation delay)",
        [](Scenario& x, std::string_view v) { x.fraud.confirm_delay_spread = parse_real(v, 0, 5); });
  // [merchant]
  s.add("merchant.latency", "uniform(0ms, 5000ms)",
        "latency of one service attempt: fixed(D), uniform(LOW, HIGH) or lognormal(MEDIAN, SIGMA)",
        [](Scenario& x, std::string_view v) { x.merchant.latency = LatencyModel::parse(v); });
  s.add("merchant.failure_probability", "0.5", "chance that one attempt fails",
        [](Scenario& x, std::string_view v) { x.merchant.failure_probability = parse_probability(v); });
  s.add("merchant.unknown_probability", "0",
        "chance that one attempt comes back unknown (re-queried without using an attempt)",
        [](Scenario& x, std::string_view v) {
          x.merchant.unknown_probability = parse_real(v, 0, 0.99);
        });
  s.add("merchant.score_max", "100", "merchant score is uniform in [0, score_max)",
        [](Scenario& x, std::string_view v) {
          x.merchant.score_max = static_cast<int>(parse_integer(v, 1, 1'000'000));
        });
  s.add("merchant.cache", "none",
        "keep a merchant's score this long and answer queries from it (none: ask the service each time)",
        [](Scenario& x, std::string_view v) {
          x.merchant_cache.ttl = v == "none" ? 0 : duration_between(v, sim::kMillisecond, 365 * sim::kDay);
        });
  s.add("merchant.cache_zero", "true",
        "false: a score of 0 is never cached (the StateFun 3 edition's quirk)",
        [](Scenario& x, std::string_view v) { x.merchant_cache.cache_zero = parse_bool(v); });
  s.add("merchant.attempts", "3", "attempts per query, the first included",
        [](Scenario& x, std::string_view v) {
          x.merchant_retry.attempts = static_cast<int>(parse_integer(v, 1, 100));
        });
  s.add("merchant.timeout", "none",
        "per-attempt timeout; a late answer is dropped (none: wait as long as it takes)",
        [](Scenario& x, std::string_view v) {
          x.merchant_retry.timeout = sim::trim(v) == "none" ? sim::kNever
                                                          : duration_between(v, 1, sim::kHour);
        });
  s.add("merchant.backoff", "none", "wait between attempts: none, fixed or exponential",
        [](Scenario& x, std::string_view v) {
          x.merchant_retry.backoff = choose<Backoff>(v, {{"none", Backoff::kNone},
                                                         {"fixed", Backoff::kFixed},
                                                         {"exponential", Backoff::kExponential}});
        });
  s.add("merchant.backoff_initial", "100ms", "first (or fixed) backoff",
        [](Scenario& x, std::string_view v) {
          x.merchant_retry.backoff_initial = duration_between(v, 0, sim::kHour);
        });
  s.add("merchant.backoff_max", "10s", "longest exponential backoff",
        [](Scenario& x, std::string_view v) {
          x.merchant_retry.backoff_max = duration_between(v, 0, sim::kHour);
        });
  s.add("merchant.backoff_jitter", "0.5", "each backoff is shortened by up to this share, at random",
        [](Scenario& x, std::string_view v) { x.merchant_retry.jitter = parse_probability(v); });
  s.add("merchant.refused_latency", "1ms", "how soon an attempt fails while the service is down",
        [](Scenario& x, std::string_view v) {
          x.merchant.refused_latency = duration_between(v, 0, sim::kMinute);
        });
  // [model]
  s.add("model.threshold", "80", "alert when the model's score is strictly greater",
        [](Scenario& x, std::string_view v) {
          x.model.threshold = static_cast<int>(parse_integer(v, -1, 100));
        });
  s.add("model.kind", "workshop",
        "workshop (score uniform in [min(count, 99), 100), seeded) or weighted (deterministic: "
        "bias + weight_count*count + weight_merchant*merchant score + weight_amount*amount)",
        [](Scenario& x, std::string_view v) {
          x.model.kind = choose<ModelKind>(
              v, {{"workshop", ModelKind::kWorkshop}, {"weighted", ModelKind::kWeighted}});
        });
  s.add("model.bias", "0", "weighted model: the constant term",
        [](Scenario& x, std::string_view v) { x.model.weights.bias = parse_real(v, -1e6, 1e6); });
  s.add("model.weight_count", "10", "weighted model: weight of the fraud count",
        [](Scenario& x, std::string_view v) { x.model.weights.count = parse_real(v, -1e6, 1e6); });
  s.add("model.weight_merchant", "0.5", "weighted model: weight of the merchant score",
        [](Scenario& x, std::string_view v) { x.model.weights.merchant = parse_real(v, -1e6, 1e6); });
  s.add("model.weight_amount", "0.0005", "weighted model: weight of the amount (USD)",
        [](Scenario& x, std::string_view v) { x.model.weights.amount = parse_real(v, -1e6, 1e6); });
  s.add("model.missing_merchant", "50",
        "weighted model: the merchant score assumed when the service answered with an error",
        [](Scenario& x, std::string_view v) {
          x.model.weights.missing_merchant = parse_real(v, -1e6, 1e6);
        });
  s.add("model.weight_since_fraud", "0",
        "weighted model: weight per day since the account's most recent confirmed fraud (needs "
        "since_fraud in model.extra_features; left out when no fraud is in the window)",
        [](Scenario& x, std::string_view v) { x.model.weights.since_fraud = parse_real(v, -1e6, 1e6); });
  s.add("model.rules", "none",
        "rules applied in order to every score, each FEATURE COMPARISON VALUE => SCORE (sets it) "
        "or => +N / -N (changes it), e.g. amount > 1000 => 0, since_fraud < 2d => +20; features: "
        "count, merchant_score, amount, merchant, since_fraud",
        [](Scenario& x, std::string_view v) { x.model.rules = parse_score_rules(v); });
  s.add("model.extra_features", "none",
        "features the FeatureVector carries beside count, merchant score and amount: merchant, "
        "since_fraud (time since the account's most recent confirmed fraud in the window)",
        [](Scenario& x, std::string_view v) {
          x.model.feature_merchant = false;
          x.model.feature_since_fraud = false;
          std::string_view rest = sim::trim(v);
          if (rest == "none") return;
          while (!rest.empty()) {
            const auto comma = rest.find(',');
            const std::string name(sim::trim(rest.substr(0, comma)));
            bool& chosen = sim::parse_choice(name, {"merchant", "since_fraud"}) == "merchant"
                               ? x.model.feature_merchant
                               : x.model.feature_since_fraud;
            if (chosen) throw ValueError(fmt::format("the feature '{}' is given twice", name));
            chosen = true;
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
          }
        });
  s.add("model.latency", "fixed(1ms)", "latency of one call to the model (request and answer)",
        [](Scenario& x, std::string_view v) { x.model_calls.latency = LatencyModel::parse(v); });
  s.add("model.call_timeout", "1min", "a call not answered by then fails the job (StateFun's)",
        [](Scenario& x, std::string_view v) {
          x.model_calls.policy.call_timeout = duration_between(v, sim::kMillisecond, sim::kDay);
        });
  s.add("model.backoff_initial", "10ms", "first retry backoff of a failed call; it doubles",
        [](Scenario& x, std::string_view v) {
          x.model_calls.policy.backoff_initial = duration_between(v, 1, sim::kHour);
        });
  s.add("model.backoff_multiplier", "2", "each retry backoff is the previous one times this",
        [](Scenario& x, std::string_view v) {
          x.model_calls.policy.backoff_multiplier = parse_real(v, 1, 10);
        });
  s.add("model.max_batch", "1000", "most messages in one call to an address",
        [](Scenario& x, std::string_view v) {
          x.model_calls.policy.max_batch = static_cast<std::uint32_t>(parse_integer(v, 1, 1'000'000));
        });
  s.add("model.refused_latency", "1ms", "how soon a call fails while the model is down",
        [](Scenario& x, std::string_view v) {
          x.model_calls.refused_latency = duration_between(v, 0, sim::kMinute);
        });
  s.add("model.server", "none",
        "a command that starts the model's server, e.g. {fraudsim} serve {settings} --port 8071 "
        "({fraudsim}: this fraudsim; {settings}: the run's settings as --set words): fraudsim runs "
        "it in the scenario file's directory (given with --set: the working directory), waits until "
        "the model's endpoint answers, stops and starts it again at each of faults.model_restarts, "
        "and stops it when the run ends",
        [](Scenario& x, std::string_view v) { x.model_server.command = server_command(v); });
  s.add("model.server_after_restart", "same",
        "the command that starts the model's server after a restart (a redeployed model), or same; "
        "it runs where model.server does",
        [](Scenario& x, std::string_view v) {
          x.model_server.after_restart = sim::trim(v) == "same" ? std::vector<std::string>{}
                                                                 : server_command(v);
        });
  s.add("model.server_start_timeout", "10s",
        "real (wall-clock) time model.server may take until it answers, 100ms to 10min",
        [](Scenario& x, std::string_view v) {
          x.model_server.start_timeout = duration_between(v, 100 * sim::kMillisecond, 10 * sim::kMinute);
        });
  // [remote]
  s.add("remote.latency", "fixed(1ms)",
        "latency of one call to a remote function other than the model (see [endpoints])",
        [](Scenario& x, std::string_view v) { x.remote_calls.latency = LatencyModel::parse(v); });
  s.add("remote.call_timeout", "1min",
        "a call to a remote function (other than the model) not answered by then fails the job",
        [](Scenario& x, std::string_view v) {
          x.remote_calls.policy.call_timeout = duration_between(v, sim::kMillisecond, sim::kDay);
        });
  s.add("remote.connections", "8", "HTTP connections kept open to the endpoints (one thread each)",
        [](Scenario& x, std::string_view v) {
          x.remote_connections = static_cast<int>(parse_integer(v, 1, 256));
        });
  s.add("remote.wall_timeout", "10s",
        "real (wall-clock) time an HTTP request may go unanswered before it counts as a failed "
        "attempt: a guard against a hung endpoint; virtual time never depends on it",
        [](Scenario& x, std::string_view v) {
          x.remote_wall_timeout = duration_between(v, 100 * sim::kMillisecond, sim::kHour);
        });
  // [faults]
  s.add("faults.merchant_outages", "none", "merchant-service outages: START+LENGTH, ... (e.g. 10min+2min)",
        [](Scenario& x, std::string_view v) { x.merchant.outages = parse_windows(v); });
  s.add("faults.merchant_outage_mode", "fail",
        "during an outage attempts fail fast (fail) or never answer (hang)",
        [](Scenario& x, std::string_view v) {
          x.merchant.outage_mode = choose<OutageMode>(
              v, {{"fail", OutageMode::kFailFast}, {"hang", OutageMode::kHang}});
        });
  s.add("faults.merchant_outage_rate", "0/d", "random merchant-service outages (on/off process)",
        [](Scenario& x, std::string_view v) { x.merchant.outage_rate = rate_between(v, 0, 1); });
  s.add("faults.merchant_outage_length", "5min", "mean length of a random outage (exponential)",
        [](Scenario& x, std::string_view v) {
          x.merchant.outage_length = duration_between(v, sim::kSecond, 30 * sim::kDay);
        });
  s.add("faults.model_restarts", "none",
        "model restarts: START+LENGTH, ...; the model refuses connections meanwhile",
        [](Scenario& x, std::string_view v) { x.model_calls.restarts = parse_windows(v); });
  s.add("faults.on_call_timeout", "fail",
        "when a call's timeout is spent: fail (the run stops and reports a job failure, exit 3)",
        [](Scenario& x, std::string_view v) {
          x.on_call_timeout = choose<CallTimeoutPolicy>(v, {{"fail", CallTimeoutPolicy::kFail}});
        });
  return s;
}

// Where a clash of settings was made: the last assignment to any of `keys` (the one that broke
// the combination), or `fallback` when they all kept their defaults.
std::string origin_of(const std::vector<sim::SettingAssignment>& assignments,
                      std::initializer_list<std::string_view> keys, const std::string& fallback) {
  for (auto it = assignments.rbegin(); it != assignments.rend(); ++it) {
    for (std::string_view key : keys) {
      if (it->key == key) return it->origin;
    }
  }
  return fallback;
}

// Settings that are fine alone but not together. Needs scenario.effective.
// model.server runs the server at the model's endpoint, and restarts it with the model: it needs
// an endpoint, one that no other function shares.
void check_model_server(const Scenario& scenario, const std::vector<sim::SettingAssignment>& assignments,
                        const std::string& where) {
  const ModelServerSettings& server = scenario.model_server;
  if (!server.enabled()) {
    if (!server.after_restart.empty()) {
      throw sim::InputError(fmt::format(
          "{}: model.server_after_restart = '{}' needs model.server, the command of the first start",
          origin_of(assignments, {"model.server_after_restart"}, where),
          scenario.effective.at("model.server_after_restart")));
    }
    return;
  }
  for (const auto& [key, words] : {std::pair{"model.server", &server.command},
                                    std::pair{"model.server_after_restart", &server.after_restart}}) {
    for (const std::string& word : *words) {
      if (word != kSettingsPlaceholder && word.find(kSettingsPlaceholder) != std::string::npos) {
        throw sim::InputError(fmt::format("{}: {} = '{}': {} must be a word of its own",
                                          origin_of(assignments, {key}, where), key,
                                          scenario.effective.at(key), kSettingsPlaceholder));
      }
    }
  }
  const auto model_url = endpoint_for(scenario.endpoints, kModelType);
  if (!model_url) {
    throw sim::InputError(fmt::format(
        "{}: model.server = '{}' starts a model's server, but the model is embedded: give it an "
        "endpoint ([endpoints] com.ververica.ds/model = http://127.0.0.1:PORT/statefun)",
        origin_of(assignments, {"model.server"}, where), scenario.effective.at("model.server")));
  }
  // host:port, or "" for a URL that does not parse (reported where the endpoints are opened).
  const auto origin = [](const std::string& url) -> std::string {
    try {
      const sim::remote::HttpUrl parsed = sim::remote::parse_http_url(url);
      return parsed.host + ":" + std::to_string(parsed.port);
    } catch (const std::invalid_argument&) {
      return "";
    }
  };
  for (std::string_view type : {kTransactionManagerType, kFraudCountType, kMerchantType}) {
    const auto url = endpoint_for(scenario.endpoints, type);
    if (url && !origin(*model_url).empty() && origin(*url) == origin(*model_url)) {
      throw sim::InputError(fmt::format(
          "{}: model.server restarts the model's server at {}, but {} is served there too ({}); "
          "serve it elsewhere or leave model.server out",
          origin_of(assignments, {"model.server"}, where), origin(*model_url), type, *url));
    }
  }
}

void check_combination(const Scenario& scenario,
                       const std::vector<sim::SettingAssignment>& assignments) {
  const std::string where = scenario.path.empty() ? std::string("scenario") : scenario.path;
  const double odds = scenario.merchant.failure_probability + scenario.merchant.unknown_probability;
  if (odds > 1.0) {
    throw sim::InputError(fmt::format(
        "{}: merchant.failure_probability = '{}' and merchant.unknown_probability = '{}' add up "
        "to {:g}, above 1",
        origin_of(assignments, {"merchant.failure_probability", "merchant.unknown_probability"},
                  where),
        scenario.effective.at("merchant.failure_probability"),
        scenario.effective.at("merchant.unknown_probability"), odds));
  }
  constexpr sim::Time kMostSeriesRows = 1'000'000;
  if (scenario.duration / scenario.series_interval > kMostSeriesRows) {
    throw sim::InputError(fmt::format(
        "{}: run.duration = '{}' over run.series_interval = '{}' makes more than {} rows of time "
        "series; choose a longer interval",
        origin_of(assignments, {"run.duration", "run.series_interval"}, where),
        scenario.effective.at("run.duration"), scenario.effective.at("run.series_interval"),
        kMostSeriesRows));
  }
  if (scenario.merchant_retry.backoff_max < scenario.merchant_retry.backoff_initial) {
    throw sim::InputError(fmt::format(
        "{}: merchant.backoff_max = '{}' is shorter than merchant.backoff_initial = '{}'",
        origin_of(assignments, {"merchant.backoff_max", "merchant.backoff_initial"}, where),
        scenario.effective.at("merchant.backoff_max"),
        scenario.effective.at("merchant.backoff_initial")));
  }
  const auto needs_feature = [&](bool present, Feature feature, std::string_view key,
                                 std::string_view what) {
    if (present) return;
    throw sim::InputError(fmt::format(
        "{}: {} = '{}' {} {}, which the FeatureVector lacks: add it to model.extra_features",
        origin_of(assignments, {key}, where), key, scenario.effective.at(std::string(key)),
        what, feature_name(feature)));
  };
  for (const ScoreRule& rule : scenario.model.rules) {
    if (rule.feature == Feature::kMerchant) {
      needs_feature(scenario.model.feature_merchant, rule.feature, "model.rules", "uses");
    } else if (rule.feature == Feature::kSinceFraud) {
      needs_feature(scenario.model.feature_since_fraud, rule.feature, "model.rules", "uses");
    }
  }
  if (scenario.model.weights.since_fraud != 0) {
    needs_feature(scenario.model.feature_since_fraud, Feature::kSinceFraud, "model.weight_since_fraud",
                  "weighs");
  }
  check_model_server(scenario, assignments, where);
  if (scenario.traffic.generator == Generator::kReplay &&
      scenario.traffic.replay_transactions.empty()) {
    throw sim::InputError(fmt::format(
        "{}: traffic.generator = '{}' needs traffic.transactions (a CSV file)",
        origin_of(assignments, {"traffic.generator", "traffic.transactions"}, where),
        scenario.effective.at("traffic.generator")));
  }
}

// Replay files named in the scenario file are relative to it; named with --set, relative to the
// working directory, as any path typed on a command line.
void resolve_paths(Scenario& scenario, const std::vector<sim::SettingAssignment>& assignments) {
  if (scenario.path.empty()) return;
  const std::filesystem::path base = std::filesystem::path(scenario.path).parent_path();
  const std::pair<const char*, std::string*> files[] = {
      {"traffic.transactions", &scenario.traffic.replay_transactions},
      {"traffic.confirmations", &scenario.traffic.replay_confirmations}};
  // The model's server runs where the scenario file is, when the file names it.
  const std::string server_origin = origin_of(assignments, {"model.server"}, "");
  if (server_origin.rfind(scenario.path + ":", 0) == 0) scenario.model_server.directory = base.string();
  for (const auto& [key, file] : files) {
    const std::string origin = origin_of(assignments, {key}, "");
    const bool from_file = origin.rfind(scenario.path + ":", 0) == 0;
    if (from_file && !file->empty() && std::filesystem::path(*file).is_relative()) {
      *file = (base / *file).lexically_normal().string();
    }
  }
}

}  // namespace

const sim::SettingsSchema<Scenario>& scenario_schema() {
  static const sim::SettingsSchema<Scenario> schema = build_schema();
  return schema;
}

namespace {

// Defaults, then the assignments in order; [endpoints] lines are rules, not schema keys.
Scenario build_scenario(const std::vector<sim::SettingAssignment>& assignments) {
  std::vector<sim::SettingAssignment> settings;
  std::vector<EndpointRule> endpoints;
  std::vector<Expectation> expectations;
  for (const sim::SettingAssignment& a : assignments) {
    if (a.key.rfind(kEndpointsSection, 0) == 0) {
      add_endpoint_rule(endpoints, a);
    } else if (a.key.rfind(kExpectSection, 0) == 0) {
      expectations.push_back(parse_expectation(a));
    } else {
      settings.push_back(a);
    }
  }
  std::map<std::string, std::string> effective;
  Scenario scenario = scenario_schema().build(settings, &effective);
  for (const EndpointRule& rule : endpoints) {
    effective[std::string(kEndpointsSection) + rule.pattern] = rule.url.empty() ? "embedded" : rule.url;
  }
  scenario.effective = std::move(effective);
  scenario.endpoints = std::move(endpoints);
  scenario.expectations = std::move(expectations);
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       std::optional<std::string> seed, std::optional<std::string> module,
                       const std::vector<sim::SettingAssignment>& variation) {
  std::vector<sim::SettingAssignment> assignments = sim::read_settings_file(path);
  if (module) {
    for (sim::SettingAssignment& endpoint : read_module_endpoints(*module)) {
      assignments.push_back(std::move(endpoint));
    }
  }
  for (const std::string& text : overrides) {
    assignments.push_back(sim::parse_setting_override(text));
  }
  assignments.insert(assignments.end(), variation.begin(), variation.end());
  if (seed) assignments.push_back({"run.seed", *seed, "--seed " + *seed});
  Scenario scenario = build_scenario(assignments);
  scenario.path = path;
  scenario.name = std::filesystem::path(path).stem().string();
  resolve_paths(scenario, assignments);
  check_combination(scenario, assignments);
  return scenario;
}

Scenario make_scenario(const std::vector<std::string>& assignments) {
  std::vector<sim::SettingAssignment> parsed;
  for (const std::string& text : assignments) parsed.push_back(sim::parse_setting_override(text));
  Scenario scenario = build_scenario(parsed);
  scenario.name = "inline";
  check_combination(scenario, parsed);
  return scenario;
}

}  // namespace fraudsim
