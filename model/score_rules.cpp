#include "model/score_rules.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "sim/settings.h"

namespace fraudsim {
namespace {

using Compare = ScoreRule::Compare;

constexpr std::pair<std::string_view, Feature> kFeatures[] = {
    {"count", Feature::kCount},         {"merchant_score", Feature::kMerchantScore},
    {"amount", Feature::kAmount},       {"merchant", Feature::kMerchant},
    {"since_fraud", Feature::kSinceFraud}};

// Longest first, so that ">=" is not read as ">" followed by "=".
constexpr std::pair<std::string_view, Compare> kComparisons[] = {
    {">=", Compare::kGreaterOrEqual}, {"<=", Compare::kLessOrEqual}, {"!=", Compare::kNotEqual},
    {">", Compare::kGreater},         {"<", Compare::kLess},         {"=", Compare::kEqual}};

bool holds(Compare compare, std::int64_t value, std::int64_t bound) {
  switch (compare) {
    case Compare::kLess: return value < bound;
    case Compare::kLessOrEqual: return value <= bound;
    case Compare::kGreater: return value > bound;
    case Compare::kGreaterOrEqual: return value >= bound;
    case Compare::kEqual: return value == bound;
    case Compare::kNotEqual: return value != bound;
  }
  return false;
}

std::optional<std::int64_t> numeric_feature(Feature feature, const workshop::FeatureVector& f) {
  switch (feature) {
    case Feature::kCount: return f.fraud_count();
    case Feature::kMerchantScore:
      if (f.has_merchant_score()) return f.merchant_score();
      return std::nullopt;
    case Feature::kAmount: return f.amount();
    case Feature::kSinceFraud:
      if (f.has_since_fraud()) return f.since_fraud();
      return std::nullopt;
    case Feature::kMerchant: break;
  }
  return std::nullopt;
}

bool matches(const ScoreRule& rule, const workshop::FeatureVector& f) {
  if (rule.feature == Feature::kMerchant) {
    if (!f.has_merchant()) return false;
    return (f.merchant() == rule.name) == (rule.compare == Compare::kEqual);
  }
  const auto value = numeric_feature(rule.feature, f);
  return value && holds(rule.compare, *value, rule.number);
}

ScoreRule parse_rule(std::string_view text) {
  ScoreRule rule;
  rule.text = std::string(text);
  const auto fail = [&](std::string_view why) {
    return sim::ValueError(fmt::format("rule '{}': {}", rule.text, why));
  };
  const auto arrow = text.find("=>");
  if (arrow == std::string_view::npos) {
    throw fail("expected FEATURE COMPARISON VALUE => SCORE, e.g. amount > 1000 => 0");
  }
  const std::string_view condition = sim::trim(text.substr(0, arrow));
  std::string_view effect = sim::trim(text.substr(arrow + 2));

  std::size_t feature_end = 0;
  while (feature_end < condition.size() &&
         (std::isalnum(static_cast<unsigned char>(condition[feature_end])) || condition[feature_end] == '_')) {
    ++feature_end;
  }
  const std::string_view feature = condition.substr(0, feature_end);
  const auto known = std::find_if(std::begin(kFeatures), std::end(kFeatures),
                                  [&](const auto& f) { return f.first == feature; });
  if (known == std::end(kFeatures)) {
    throw fail(fmt::format("unknown feature '{}' (count, merchant_score, amount, merchant or "
                           "since_fraud)",
                           feature));
  }
  rule.feature = known->second;
  const std::string_view rest = sim::trim(condition.substr(feature_end));
  const auto comparison = std::find_if(std::begin(kComparisons), std::end(kComparisons),
                                       [&](const auto& c) { return rest.substr(0, c.first.size()) == c.first; });
  if (comparison == std::end(kComparisons)) {
    throw fail("expected a comparison after the feature: <, <=, >, >=, = or !=");
  }
  rule.compare = comparison->second;
  const std::string_view value = sim::trim(rest.substr(comparison->first.size()));
  if (value.empty()) throw fail("the condition has no value to compare with");
  try {
    switch (rule.feature) {
      case Feature::kMerchant:
        if (rule.compare != Compare::kEqual && rule.compare != Compare::kNotEqual) {
          throw fail("a merchant is compared with = or != only");
        }
        rule.name = std::string(value);
        break;
      case Feature::kSinceFraud: rule.number = sim::parse_duration_value(value); break;
      default: rule.number = sim::parse_integer(value, -1'000'000'000'000, 1'000'000'000'000); break;
    }
  } catch (const sim::ValueError& e) {
    throw fail(fmt::format("value '{}': {}", value, e.what()));
  }

  if (effect.empty()) throw fail("nothing after '=>': a score (0 to 100) or a change (+N, -N)");
  rule.adds = effect.front() == '+' || effect.front() == '-';
  if (effect.front() == '+') effect.remove_prefix(1);
  try {
    rule.score = static_cast<int>(rule.adds ? sim::parse_integer(effect, -100, 100)
                                            : sim::parse_integer(effect, 0, 100));
  } catch (const sim::ValueError& e) {
    throw fail(fmt::format("score '{}': {}", effect, e.what()));
  }
  return rule;
}

}  // namespace

ScoreRules parse_score_rules(std::string_view text) {
  ScoreRules rules;
  std::string_view rest = sim::trim(text);
  if (rest.empty() || rest == "none") return rules;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view one = sim::trim(rest.substr(0, comma));
    if (one.empty()) throw sim::ValueError("an empty rule (two commas in a row, or one at an end)");
    rules.push_back(parse_rule(one));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return rules;
}

int apply_score_rules(const ScoreRules& rules, const workshop::FeatureVector& features, int score) {
  for (const ScoreRule& rule : rules) {
    if (!matches(rule, features)) continue;
    score = rule.adds ? score + rule.score : rule.score;
  }
  return std::clamp(score, 0, 100);
}

std::string_view feature_name(Feature feature) {
  for (const auto& [name, value] : kFeatures) {
    if (value == feature) return name;
  }
  return "";
}

}  // namespace fraudsim
