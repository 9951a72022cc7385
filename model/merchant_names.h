#pragma once
// Merchant names shaped like the workshop generator's: 45 prefixes x 75 suffixes = 3,375 names,
// capitalised ("Amberworks"), in prefix-major order. The words are fraudsim's own; only the shape
// and the count follow the workshop.
#include <string>
#include <vector>

namespace fraudsim {

inline constexpr std::size_t kWorkshopMerchantCount = 3375;

// All names, in the order the workshop generator cycles through them.
const std::vector<std::string>& merchant_names();

}  // namespace fraudsim
