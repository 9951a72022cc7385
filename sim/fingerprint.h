#pragma once
// Running 64-bit fingerprints of processed events, after OMNeT++'s fingerprints: a cheap chained
// hash in which any change of behaviour (a time, an order, an address, a payload) shows.
//
// What goes into a fingerprint is its recipe, one letter per ingredient, as OMNeT++'s
// fingerprint-ingredients:
//   t  the virtual time of each event
//   k  the kind of event (delivery, timer, async answer, call answer, ...) and its status
//   a  addresses: the target and sender of a message, a timer's or an egress's name
//   m  the type of the message
//   c  content: the message's bytes, a timer's argument, a job failure's cause
//   r  every random number drawn, in the order drawn
// The main fingerprint is "tkamc"; a run may keep others beside it, e.g. "tka" (timing without
// payloads) or "r".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

std::uint64_t hash_bytes(std::string_view bytes);

class Fingerprint {
 public:
  // Folds one record (already reduced to a few 64-bit words) into the fingerprint.
  void add(const std::uint64_t* words, std::size_t count);
  std::uint64_t value() const { return value_; }
  // 16 lowercase hex digits.
  std::string hex() const;

 private:
  std::uint64_t value_ = 0;
};

enum Ingredient : std::uint8_t {
  kTimeIngredient = 1 << 0,
  kKindIngredient = 1 << 1,
  kAddressIngredient = 1 << 2,
  kMessageTypeIngredient = 1 << 3,
  kContentIngredient = 1 << 4,
  kRandomIngredient = 1 << 5,
};
inline constexpr std::uint8_t kEventIngredients = kTimeIngredient | kKindIngredient |
                                                  kAddressIngredient | kMessageTypeIngredient |
                                                  kContentIngredient;
inline constexpr std::string_view kMainRecipe = "tkamc";

struct FingerprintRecipe {
  std::string letters;      // as given, e.g. "tka"
  std::uint8_t ingredients;  // Ingredient bits
};

// Parses a recipe such as "tka"; throws ValueError for an empty recipe, an unknown letter or a
// letter given twice.
FingerprintRecipe parse_fingerprint_recipe(std::string_view letters);

// Calls on_draw with every random number a sim::Rng draws on this thread while it is installed.
class DrawListener {
 public:
  virtual ~DrawListener() = default;
  virtual void on_draw(std::uint64_t draw) = 0;
};

// The main fingerprint and the ones a run asks for beside it.
class Fingerprints : public DrawListener {
 public:
  Fingerprints() = default;
  ~Fingerprints() override;
  Fingerprints(const Fingerprints&) = delete;
  Fingerprints& operator=(const Fingerprints&) = delete;

  // Keeps these beside the main one; with an 'r' among them, listens to this thread's draws
  // until destroyed.
  void keep(const std::vector<FingerprintRecipe>& recipes);
  // One record: words[i] belongs to ingredients[i] (an Ingredient).
  void add(const std::uint64_t* words, const std::uint8_t* ingredients, std::size_t count);
  void on_draw(std::uint64_t draw) override;

  const Fingerprint& main() const { return main_; }
  // The kept ones, in the order asked: (letters, 16 hex digits).
  std::vector<std::pair<std::string, std::string>> kept() const;

 private:
  struct Kept {
    FingerprintRecipe recipe;
    Fingerprint fingerprint;
  };
  Fingerprint main_;
  std::vector<Kept> kept_;
  bool listening_ = false;
  DrawListener* previous_listener_ = nullptr;
};

}  // namespace sim
