#pragma once
// Virtual time. One tick is one microsecond since the scenario's start; time is an integer so that
// every run orders events the same way (no floating-point rounding). int64 covers 292,000 years.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

using Time = std::int64_t;  // microseconds of virtual time; also used for durations

inline constexpr Time kMicrosecond = 1;
inline constexpr Time kMillisecond = 1'000;
inline constexpr Time kSecond = 1'000'000;
inline constexpr Time kMinute = 60 * kSecond;
inline constexpr Time kHour = 60 * kMinute;
inline constexpr Time kDay = 24 * kHour;
inline constexpr Time kNever = INT64_MAX;

// Parses a duration: a non-negative decimal number followed by a unit, one of
// us, ms, s, min, h, d (e.g. "30d", "5000ms", "1.5h"). "0" alone is accepted. A fraction that does
// not land on a whole microsecond, a missing or unknown unit, a negative value or overflow gives
// std::nullopt; `error` (when given) then says why.
std::optional<Time> parse_duration(std::string_view text, std::string* error = nullptr);

// Formats a duration with the largest unit that keeps it readable, e.g. "30d", "1500ms", "250us".
// parse_duration(format_duration(t)) == t for every t >= 0.
std::string format_duration(Time t);

// Formats an instant as days, hours, minutes and seconds: "12d 03:04:05.678901".
std::string format_instant(Time t);

}  // namespace sim
