#include "sim/fingerprint.h"

#include <stdexcept>

#include <fmt/format.h>
#include <xxhash.h>

#include "sim/random.h"
#include "sim/settings.h"

namespace sim {
namespace {

constexpr std::size_t kMaxRecordWords = 8;

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

void Fingerprint::add(const std::uint64_t* words, std::size_t count) {
  // Chaining through the seed makes the fingerprint depend on the order of records.
  value_ = XXH3_64bits_withSeed(words, count * sizeof(std::uint64_t), value_);
}

std::string Fingerprint::hex() const { return fmt::format("{:016x}", value_); }

FingerprintRecipe parse_fingerprint_recipe(std::string_view letters) {
  if (letters.empty()) throw ValueError("an empty fingerprint recipe; use letters of tkamcr");
  FingerprintRecipe recipe{std::string(letters), 0};
  for (char letter : letters) {
    const std::string_view known = "tkamcr";
    const auto at = known.find(letter);
    if (at == std::string_view::npos) {
      throw ValueError(fmt::format("'{}' is not an ingredient; use letters of tkamcr (time, kind, "
                                   "address, message type, content, random draws)",
                                   letter));
    }
    const auto bit = static_cast<std::uint8_t>(1u << at);
    if (recipe.ingredients & bit) throw ValueError(fmt::format("'{}' is given twice", letter));
    recipe.ingredients = static_cast<std::uint8_t>(recipe.ingredients | bit);
  }
  return recipe;
}

Fingerprints::~Fingerprints() {
  if (listening_) set_draw_listener(previous_listener_);
}

void Fingerprints::keep(const std::vector<FingerprintRecipe>& recipes) {
  for (const FingerprintRecipe& recipe : recipes) {
    kept_.push_back(Kept{recipe, {}});
    if ((recipe.ingredients & kRandomIngredient) && !listening_) {
      previous_listener_ = set_draw_listener(this);
      listening_ = true;
    }
  }
}

void Fingerprints::add(const std::uint64_t* words, const std::uint8_t* ingredients, std::size_t count) {
  main_.add(words, count);
  for (Kept& k : kept_) {
    if ((k.recipe.ingredients & kEventIngredients) == 0) continue;
    std::uint64_t masked[kMaxRecordWords];
    if (count > kMaxRecordWords) throw std::logic_error("a fingerprint record of too many words");
    for (std::size_t i = 0; i < count; ++i) masked[i] = (k.recipe.ingredients & ingredients[i]) ? words[i] : 0;
    k.fingerprint.add(masked, count);
  }
}

void Fingerprints::on_draw(std::uint64_t draw) {
  for (Kept& k : kept_) {
    if (k.recipe.ingredients & kRandomIngredient) k.fingerprint.add(&draw, 1);
  }
}

std::vector<std::pair<std::string, std::string>> Fingerprints::kept() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Kept& k : kept_) out.emplace_back(k.recipe.letters, k.fingerprint.hex());
  return out;
}

}  // namespace sim
