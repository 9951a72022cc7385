#include "sim/time.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace sim {
namespace {

__extension__ typedef unsigned __int128 uint128;

struct Unit {
  std::string_view name;
  Time ticks;
};

// Longest names first where one is a prefix of another is not needed: units are matched whole.
constexpr std::array<Unit, 6> kUnits{{
    {"us", kMicrosecond}, {"ms", kMillisecond}, {"s", kSecond},
    {"min", kMinute},     {"h", kHour},         {"d", kDay},
}};

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

// Splits "12.5h" into digits "12", fraction "5" and unit "h".
bool split_number(std::string_view text, std::string_view& whole, std::string_view& fraction,
                  std::string_view& unit) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  whole = text.substr(0, i);
  fraction = {};
  if (i < text.size() && text[i] == '.') {
    std::size_t start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    fraction = text.substr(start, i - start);
    if (fraction.empty()) return false;
  }
  unit = text.substr(i);
  return !whole.empty();
}

}  // namespace

std::optional<Time> parse_duration(std::string_view text, std::string* error) {
  const std::string shown(text);
  if (text.empty()) {
    fail(error, "empty duration; expected a number and a unit (us, ms, s, min, h, d)");
    return std::nullopt;
  }
  if (text.front() == '-') {
    fail(error, fmt::format("negative duration '{}'", shown));
    return std::nullopt;
  }
  std::string_view whole, fraction, unit_name;
  if (!split_number(text, whole, fraction, unit_name)) {
    fail(error, fmt::format("'{}' is not a duration; expected a number and a unit, e.g. 30d or 500ms",
                            shown));
    return std::nullopt;
  }
  if (unit_name.empty()) {
    if (whole.find_first_not_of('0') == std::string_view::npos && fraction.empty()) return Time{0};
    fail(error, fmt::format("duration '{}' has no unit; use one of us, ms, s, min, h, d", shown));
    return std::nullopt;
  }
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (u.name == unit_name) unit = &u;
  }
  if (!unit) {
    fail(error, fmt::format("unknown unit '{}' in duration '{}'; use one of us, ms, s, min, h, d",
                            std::string(unit_name), shown));
    return std::nullopt;
  }
  Time whole_value = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), whole_value);
  Time ticks = 0;
  if (ec != std::errc{} || end != whole.data() + whole.size() ||
      __builtin_mul_overflow(whole_value, unit->ticks, &ticks)) {
    fail(error, fmt::format("duration '{}' is too large", shown));
    return std::nullopt;
  }
  // The fraction must resolve to whole microseconds: 1.5ms is fine, 1.0005ms is not, and
  // 0.00000005min (3us) is fine too although 60,000,000 is not a power of ten.
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (!fraction.empty()) {
    // Without trailing zeros, k digits land on whole microseconds only if 10^k divides
    // digits * unit; no unit here has more than 13 factors of 2 or of 5, so a longer fraction is
    // always finer than a microsecond (and 18 digits still fit in 64 bits).
    constexpr std::size_t kMaxFractionDigits = 18;
    std::uint64_t digits = 0;
    std::uint64_t denominator = 1;
    if (fraction.size() <= kMaxFractionDigits) {
      for (char digit : fraction) {
        digits = digits * 10 + static_cast<std::uint64_t>(digit - '0');
        denominator *= 10;
      }
    }
    const uint128 product = static_cast<uint128>(digits) * static_cast<std::uint64_t>(unit->ticks);
    if (fraction.size() > kMaxFractionDigits || product % denominator != 0) {
      fail(error, fmt::format("duration '{}' is finer than one microsecond", shown));
      return std::nullopt;
    }
    // digits < denominator, so this is less than one unit and fits.
    const auto part = static_cast<Time>(product / denominator);
    if (__builtin_add_overflow(ticks, part, &ticks)) {
      fail(error, fmt::format("duration '{}' is too large", shown));
      return std::nullopt;
    }
  }
  return ticks;
}

std::string format_duration(Time t) {
  if (t == 0) return "0s";
  const char* sign = t < 0 ? "-" : "";
  const Time magnitude = t < 0 ? -t : t;
  // Largest unit that divides exactly, so the text parses back to the same value.
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (magnitude % it->ticks == 0) {
      return fmt::format("{}{}{}", sign, magnitude / it->ticks, it->name);
    }
  }
  return fmt::format("{}{}us", sign, magnitude);
}

std::string format_instant(Time t) {
  const char* sign = t < 0 ? "-" : "";
  const Time m = t < 0 ? -t : t;
  return fmt::format("{}{}d {:02}:{:02}:{:02}.{:06}", sign, m / kDay, (m % kDay) / kHour,
                     (m % kHour) / kMinute, (m % kMinute) / kSecond, m % kSecond);
}

}  // namespace sim
