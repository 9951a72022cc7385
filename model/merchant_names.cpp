#include "model/merchant_names.h"

#include <array>
#include <cctype>
#include <string_view>

namespace fraudsim {
namespace {

constexpr std::array<std::string_view, 45> kPrefixes{
    "amber", "blue",  "bright", "cedar", "clever", "copper", "crisp", "delta", "east",
    "ember", "first", "fresh",  "gold",  "grand",  "green",  "harbor", "iron", "jade",
    "keen",  "lake",  "lumen",  "maple", "nimble", "north",  "nova",  "oak",   "orbit",
    "pine",  "prime", "quick",  "quiet", "river",  "rose",   "sage",  "sky",   "south",
    "steel", "stone", "sun",    "swift", "terra",  "urban",  "vista", "west",  "zen"};

constexpr std::array<std::string_view, 75> kSuffixes{
    "works",   "mart",   "shop",     "store",  "hub",    "lane",   "point",   "market", "goods",
    "depot",   "supply", "trade",    "outlet", "corner", "square", "place",   "street", "house",
    "hall",    "yard",   "field",    "garden", "grove",  "ridge",  "brook",   "bridge", "gate",
    "port",    "bay",    "peak",     "crest",  "forge",  "mill",   "loft",    "studio", "lab",
    "line",    "link",   "net",      "wave",   "spark",  "light",  "box",     "cart",   "basket",
    "bag",     "crate",  "kitchen",  "bakery", "cafe",   "diner",  "grill",   "pantry", "tailor",
    "threads", "wear",   "style",    "craft",  "tools",  "parts",  "motors",  "fuel",   "pharmacy",
    "clinic",  "books",  "print",    "press",  "media",  "games",  "sports",  "travel", "air",
    "rail",    "ride",   "fit"};

std::vector<std::string> build_names() {
  std::vector<std::string> names;
  names.reserve(kPrefixes.size() * kSuffixes.size());
  for (std::string_view prefix : kPrefixes) {
    for (std::string_view suffix : kSuffixes) {
      std::string name(prefix);
      name += suffix;
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      names.push_back(std::move(name));
    }
  }
  return names;
}

}  // namespace

const std::vector<std::string>& merchant_names() {
  static const std::vector<std::string> names = build_names();
  return names;
}

}  // namespace fraudsim
