#pragma once
// Rules a model applies to its score, as the workshop's "change the model" exercise asks (never
// score a transaction over 1000 USD as fraud). A rule is a condition on one feature and what it
// does to the score:
//   amount > 1000 => 0            set the score
//   since_fraud < 2d => +20       add to it (or -20: take away)
//   merchant = Peakhub => 100     the merchant, by name (= and != only)
// Rules apply in the order written, each to the score the previous ones left, and the result is
// clamped to [0, 100]. A feature the vector lacks (an error instead of a merchant score, no fraud
// in the window) matches no condition.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/messages.pb.h"

namespace fraudsim {

enum class Feature { kCount, kMerchantScore, kAmount, kMerchant, kSinceFraud };

struct ScoreRule {
  enum class Compare { kLess, kLessOrEqual, kGreater, kGreaterOrEqual, kEqual, kNotEqual };
  Feature feature{};
  Compare compare{};
  std::int64_t number = 0;  // counts, scores, USD; microseconds for since_fraud
  std::string name;         // the merchant's, for Feature::kMerchant
  bool adds = false;        // `=> +N` or `=> -N`; otherwise `=> N` sets the score
  int score = 0;
  std::string text;  // as written, trimmed
};

using ScoreRules = std::vector<ScoreRule>;

// Parses "RULE, RULE, ..." (empty or "none": no rules). Throws sim::ValueError naming the rule.
ScoreRules parse_score_rules(std::string_view text);

// The score after every rule, clamped to [0, 100].
int apply_score_rules(const ScoreRules& rules, const workshop::FeatureVector& features, int score);

// The name of a feature as rules and settings write it: count, merchant_score, amount, merchant,
// since_fraud.
std::string_view feature_name(Feature feature);

}  // namespace fraudsim
