#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/settings.h"
#include "test_support.h"

using fraudsim::testing::ScratchDirectory;
using sim::InputError;
using sim::ValueError;

namespace {

// The message of the InputError that `action` throws; fails the test when it throws nothing.
template <class Action>
std::string input_error_of(Action&& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError was thrown");
  return {};
}

template <class Action>
std::string value_error_of(Action&& action) {
  try {
    action();
  } catch (const ValueError& e) {
    return e.what();
  }
  FAIL("no ValueError was thrown");
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Config {
  sim::Time window = 0;
  std::int64_t threshold = 0;
  double rate = 0;
  bool alerts = false;
  std::string mode;
};

sim::SettingsSchema<Config> config_schema() {
  sim::SettingsSchema<Config> schema;
  schema.add("fraud.window", "30d", "how long a confirmed fraud counts",
             [](Config& c, std::string_view v) { c.window = sim::parse_duration_value(v); });
  schema.add("fraud.threshold", "3", "reports that make an account suspicious",
             [](Config& c, std::string_view v) { c.threshold = sim::parse_integer(v, 0, 1000); });
  schema.add("traffic.rate", "100/s", "transactions per second",
             [](Config& c, std::string_view v) { c.rate = sim::parse_rate(v); });
  schema.add("model.alerts", "true", "whether alerts are emitted",
             [](Config& c, std::string_view v) { c.alerts = sim::parse_bool(v); });
  schema.add("traffic.mode", "workshop", "traffic generator",
             [](Config& c, std::string_view v) {
               c.mode = sim::parse_choice(v, {"workshop", "population", "replay"});
             });
  return schema;
}

sim::SettingAssignment assign(std::string key, std::string value, std::string origin) {
  return sim::SettingAssignment{std::move(key), std::move(value), std::move(origin)};
}

}  // namespace

// ---- files ---------------------------------------------------------------------------------------

TEST_CASE("a settings file gives its assignments in file order with sections as prefixes") {
  ScratchDirectory dir;
  const std::string path = dir.write("scenario.ini",
                                     "# a scenario\n"
                                     "[fraud]\n"
                                     "window = 30d   # inline comment\n"
                                     "threshold=3\n"
                                     "\n"
                                     "   # an indented comment\n"
                                     "[traffic]\n"
                                     "  rate  =  100/s  \n");
  const std::vector<sim::SettingAssignment> got = sim::read_settings_file(path);
  REQUIRE(got.size() == 3);
  CHECK(got[0].key == "fraud.window");
  CHECK(got[0].value == "30d");
  CHECK(got[0].origin == path + ":3");
  CHECK(got[1].key == "fraud.threshold");
  CHECK(got[1].value == "3");
  CHECK(got[1].origin == path + ":4");
  CHECK(got[2].key == "traffic.rate");
  CHECK(got[2].value == "100/s");
  CHECK(got[2].origin == path + ":8");
}

TEST_CASE("a settings file may return to a section") {
  ScratchDirectory dir;
  const std::string path =
      dir.write("scenario.ini", "[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n");
  const auto got = sim::read_settings_file(path);
  REQUIRE(got.size() == 3);
  CHECK(got[0].key == "a.x");
  CHECK(got[1].key == "b.y");
  CHECK(got[2].key == "a.z");
  CHECK(got[2].origin == path + ":6");
}

TEST_CASE("an empty settings file gives no assignments") {
  ScratchDirectory dir;
  CHECK(sim::read_settings_file(dir.write("empty.ini", "")).empty());
  CHECK(sim::read_settings_file(dir.write("comments.ini", "# nothing\n[fraud]\n# here\n")).empty());
}

TEST_CASE("a line that is not key = value is an error naming the file and line") {
  ScratchDirectory dir;
  const std::string path =
      dir.write("scenario.ini", "[fraud]\nwindow = 30d\nthis is not a setting\n");
  const std::string message = input_error_of([&] { sim::read_settings_file(path); });
  CHECK(contains(message, path + ":3"));
  CHECK(contains(message, "this is not a setting"));
}

TEST_CASE("a line with no key before '=' is an error naming the file and line") {
  ScratchDirectory dir;
  const std::string path = dir.write("scenario.ini", "[fraud]\n = 30d\n");
  CHECK(contains(input_error_of([&] { sim::read_settings_file(path); }), path + ":2"));
}

TEST_CASE("a broken section header is an error naming the file and line") {
  ScratchDirectory dir;
  const std::string path = dir.write("scenario.ini", "[fraud]\nwindow = 1d\n[traffic\nrate = 1/s\n");
  const std::string message = input_error_of([&] { sim::read_settings_file(path); });
  CHECK(contains(message, path + ":3"));
  CHECK(contains(message, "[name]"));
}

TEST_CASE("a key outside any section is an error naming the file, line and key") {
  ScratchDirectory dir;
  const std::string path = dir.write("scenario.ini", "# header\nwindow = 30d\n[fraud]\n");
  const std::string message = input_error_of([&] { sim::read_settings_file(path); });
  CHECK(contains(message, path + ":2"));
  CHECK(contains(message, "'window'"));
  CHECK(contains(message, "outside"));
}

TEST_CASE("a key given twice is an error naming both lines") {
  ScratchDirectory dir;
  const std::string path =
      dir.write("scenario.ini", "[fraud]\nwindow = 30d\nthreshold = 3\nwindow = 7d\n");
  const std::string message = input_error_of([&] { sim::read_settings_file(path); });
  CHECK(contains(message, path + ":4"));
  CHECK(contains(message, "line 2"));
  CHECK(contains(message, "fraud.window"));
}

TEST_CASE("the same key in two different sections is not a repetition") {
  ScratchDirectory dir;
  const std::string path = dir.write("scenario.ini", "[a]\nx = 1\n[b]\nx = 2\n");
  CHECK(sim::read_settings_file(path).size() == 2);
}

TEST_CASE("a missing settings file is an error naming it") {
  ScratchDirectory dir;
  const std::string path = (dir / "no-such.ini").string();
  const std::string message = input_error_of([&] { sim::read_settings_file(path); });
  CHECK(contains(message, path));
}

// ---- overrides -----------------------------------------------------------------------------------

TEST_CASE("an override splits into key and value and names --set as its origin") {
  const sim::SettingAssignment a = sim::parse_setting_override("fraud.window=7d");
  CHECK(a.key == "fraud.window");
  CHECK(a.value == "7d");
  CHECK(contains(a.origin, "--set"));
  CHECK(contains(a.origin, "fraud.window=7d"));

  const sim::SettingAssignment spaced = sim::parse_setting_override(" traffic.rate = 5/s ");
  CHECK(spaced.key == "traffic.rate");
  CHECK(spaced.value == "5/s");

  // Only the first '=' separates; an empty value is left for the key's parser to judge.
  CHECK(sim::parse_setting_override("a.b=c=d").value == "c=d");
  CHECK(sim::parse_setting_override("a.b=").value.empty());
}

TEST_CASE("an override without section.key=value shape is refused") {
  for (const char* bad : {"fraud.window", "window=7d", "=7d", ".window=7d", "fraud.=7d", "", " =1"}) {
    CAPTURE(bad);
    const std::string message = input_error_of([&] { sim::parse_setting_override(bad); });
    CHECK(contains(message, "section.key=value"));
  }
}

// ---- value parsers -------------------------------------------------------------------------------

TEST_CASE("parse_duration_value gives the duration or the reason it is not one") {
  CHECK(sim::parse_duration_value("30d") == 30 * sim::kDay);
  CHECK(sim::parse_duration_value(" 5ms ") == 5 * sim::kMillisecond);
  CHECK(contains(value_error_of([] { sim::parse_duration_value("5"); }), "no unit"));
  CHECK(contains(value_error_of([] { sim::parse_duration_value("-5s"); }), "negative"));
}

TEST_CASE("parse_rate converts every unit to events per second") {
  CHECK(sim::parse_rate("100/s") == doctest::Approx(100.0));
  CHECK(sim::parse_rate("30/min") == doctest::Approx(0.5));
  CHECK(sim::parse_rate("7200/h") == doctest::Approx(2.0));
  CHECK(sim::parse_rate("1.5/d") == doctest::Approx(1.5 / 86400));
  CHECK(sim::parse_rate(" 0/s ") == 0.0);
  CHECK(sim::parse_rate("1e3/s") == doctest::Approx(1000.0));
}

TEST_CASE("parse_rate refuses what is not a rate") {
  CHECK(contains(value_error_of([] { sim::parse_rate("100"); }), "100/s"));
  CHECK(contains(value_error_of([] { sim::parse_rate("100/sec"); }), "'/sec'"));
  CHECK(contains(value_error_of([] { sim::parse_rate("-1/s"); }), "negative"));
  value_error_of([] { sim::parse_rate("abc/s"); });
  value_error_of([] { sim::parse_rate("/s"); });
  value_error_of([] { sim::parse_rate("100/"); });
  value_error_of([] { sim::parse_rate("inf/s"); });
  value_error_of([] { sim::parse_rate("nan/s"); });
  value_error_of([] { sim::parse_rate(""); });
}

TEST_CASE("format_rate writes events per second") {
  CHECK(sim::format_rate(100) == "100/s");
  CHECK(sim::parse_rate(sim::format_rate(2.5)) == 2.5);
}

TEST_CASE("parse_probability accepts 0 to 1 only") {
  CHECK(sim::parse_probability("0") == 0.0);
  CHECK(sim::parse_probability("1") == 1.0);
  CHECK(sim::parse_probability(" 0.25 ") == 0.25);
  CHECK(contains(value_error_of([] { sim::parse_probability("1.01"); }), "between 0 and 1"));
  CHECK(contains(value_error_of([] { sim::parse_probability("-0.01"); }), "between 0 and 1"));
  value_error_of([] { sim::parse_probability("half"); });
  value_error_of([] { sim::parse_probability(""); });
  value_error_of([] { sim::parse_probability("nan"); });
  value_error_of([] { sim::parse_probability("0.5%"); });
}

TEST_CASE("parse_real accepts its closed range only") {
  CHECK(sim::parse_real("2.5", 0, 10) == 2.5);
  CHECK(sim::parse_real("10", 0, 10) == 10.0);
  CHECK(contains(value_error_of([] { sim::parse_real("10.5", 0, 10); }), "between 0 and 10"));
  value_error_of([] { sim::parse_real("ten", 0, 10); });
}

TEST_CASE("parse_integer accepts whole numbers within its closed range") {
  CHECK(sim::parse_integer("42", 0, 100) == 42);
  CHECK(sim::parse_integer("0", 0, 100) == 0);
  CHECK(sim::parse_integer("100", 0, 100) == 100);
  CHECK(sim::parse_integer("-7", -10, 10) == -7);
  CHECK(sim::parse_integer(" 7 ", 0, 10) == 7);
  CHECK(sim::parse_integer("9223372036854775807", 0, INT64_MAX) == INT64_MAX);
}

TEST_CASE("parse_integer refuses out-of-range and non-whole numbers") {
  CHECK(contains(value_error_of([] { sim::parse_integer("101", 0, 100); }), "between 0 and 100"));
  CHECK(contains(value_error_of([] { sim::parse_integer("-1", 0, 100); }), "between 0 and 100"));
  CHECK(contains(value_error_of([] { sim::parse_integer("99999999999999999999", 0, 100); }),
                 "between 0 and 100"));
  CHECK(contains(value_error_of([] { sim::parse_integer("4.5", 0, 100); }), "whole number"));
  CHECK(contains(value_error_of([] { sim::parse_integer("", 0, 100); }), "whole number"));
  CHECK(contains(value_error_of([] { sim::parse_integer("ten", 0, 100); }), "whole number"));
  CHECK(contains(value_error_of([] { sim::parse_integer("1e3", 0, 10000); }), "whole number"));
}

TEST_CASE("parse_bool accepts exactly true and false") {
  CHECK(sim::parse_bool("true"));
  CHECK_FALSE(sim::parse_bool("false"));
  CHECK(sim::parse_bool(" true "));
  for (const char* bad : {"yes", "True", "1", "0", ""}) {
    CAPTURE(bad);
    CHECK(contains(value_error_of([&] { sim::parse_bool(bad); }), "true or false"));
  }
}

TEST_CASE("parse_choice accepts one of the choices and lists them otherwise") {
  const std::vector<std::string> choices{"workshop", "population", "replay"};
  CHECK(sim::parse_choice("replay", choices) == "replay");
  CHECK(sim::parse_choice(" population ", choices) == "population");
  const std::string message = value_error_of([&] { sim::parse_choice("Replay", choices); });
  CHECK(contains(message, "workshop, population, replay"));
}

TEST_CASE("closest_key suggests a near key and nothing for a far one") {
  const std::vector<std::string> keys{"fraud.window", "fraud.threshold", "traffic.rate"};
  CHECK(sim::closest_key("fraud.windw", keys) == "fraud.window");
  CHECK(sim::closest_key("trafic.rate", keys) == "traffic.rate");
  CHECK(sim::closest_key("merchant.timeout", keys).empty());
}

// ---- schema --------------------------------------------------------------------------------------

TEST_CASE("a schema without assignments applies every default") {
  std::map<std::string, std::string> effective;
  const Config c = config_schema().build({}, &effective);
  CHECK(c.window == 30 * sim::kDay);
  CHECK(c.threshold == 3);
  CHECK(c.rate == 100.0);
  CHECK(c.alerts);
  CHECK(c.mode == "workshop");
  CHECK(effective == std::map<std::string, std::string>{{"fraud.window", "30d"},
                                                        {"fraud.threshold", "3"},
                                                        {"traffic.rate", "100/s"},
                                                        {"model.alerts", "true"},
                                                        {"traffic.mode", "workshop"}});
}

TEST_CASE("a later assignment of a key wins") {
  std::map<std::string, std::string> effective;
  const Config c = config_schema().build({assign("fraud.threshold", "5", "s.ini:3"),
                                          assign("fraud.window", "7d", "s.ini:4"),
                                          assign("fraud.threshold", "9", "--set fraud.threshold=9")},
                                         &effective);
  CHECK(c.threshold == 9);
  CHECK(c.window == 7 * sim::kDay);
  CHECK(c.rate == 100.0);  // untouched keys keep their defaults
  CHECK(effective.at("fraud.threshold") == "9");
  CHECK(effective.at("fraud.window") == "7d");
}

TEST_CASE("effective lists every key of the schema, assigned or not") {
  const auto schema = config_schema();
  std::map<std::string, std::string> effective;
  schema.build({assign("model.alerts", "false", "--set model.alerts=false")}, &effective);
  CHECK(effective.size() == schema.keys().size());
  for (const auto& key : schema.keys()) {
    CAPTURE(key.name);
    CHECK(effective.count(key.name) == 1);
  }
  CHECK(effective.at("model.alerts") == "false");
  CHECK(effective.at("traffic.mode") == "workshop");
  // Without a map to fill, build still works.
  CHECK_FALSE(schema.build({assign("model.alerts", "false", "x")}, nullptr).alerts);
}

TEST_CASE("an unknown key is an error naming its origin and the closest key") {
  const std::string message = input_error_of([] {
    config_schema().build({assign("fraud.windw", "7d", "scenario.ini:12")}, nullptr);
  });
  CHECK(contains(message, "scenario.ini:12"));
  CHECK(contains(message, "'fraud.windw'"));
  CHECK(contains(message, "did you mean 'fraud.window'"));
}

TEST_CASE("an unknown key far from every known one gets no suggestion") {
  const std::string message = input_error_of([] {
    config_schema().build({assign("merchant.timeout", "1s", "--set merchant.timeout=1s")}, nullptr);
  });
  CHECK(contains(message, "--set merchant.timeout=1s"));
  CHECK(contains(message, "'merchant.timeout'"));
  CHECK_FALSE(contains(message, "did you mean"));
}

TEST_CASE("a bad value is an error naming its origin, key, value and reason") {
  const std::string message = input_error_of([] {
    config_schema().build({assign("fraud.threshold", "many", "scenario.ini:7")}, nullptr);
  });
  CHECK(contains(message, "scenario.ini:7"));
  CHECK(contains(message, "fraud.threshold"));
  CHECK(contains(message, "'many'"));
  CHECK(contains(message, "whole number"));
}

TEST_CASE("a bad default is reported as the key's default") {
  sim::SettingsSchema<Config> schema;
  schema.add("fraud.threshold", "lots", "",
             [](Config& c, std::string_view v) { c.threshold = sim::parse_integer(v, 0, 10); });
  const std::string message = input_error_of([&] { schema.build({}, nullptr); });
  CHECK(contains(message, "default of fraud.threshold"));
  CHECK(contains(message, "'lots'"));
}

TEST_CASE("a bad value read from a file names the file and line") {
  ScratchDirectory dir;
  const std::string path =
      dir.write("scenario.ini", "[fraud]\nwindow = 30d\n\n[traffic]\nrate = fast\n");
  const auto assignments = sim::read_settings_file(path);
  const std::string message =
      input_error_of([&] { config_schema().build(assignments, nullptr); });
  CHECK(contains(message, path + ":5"));
  CHECK(contains(message, "traffic.rate"));
  CHECK(contains(message, "'fast'"));
}

TEST_CASE("a file and overrides combine, the override winning") {
  ScratchDirectory dir;
  const std::string path =
      dir.write("scenario.ini", "[fraud]\nwindow = 14d\nthreshold = 4\n[traffic]\nmode = replay\n");
  auto assignments = sim::read_settings_file(path);
  assignments.push_back(sim::parse_setting_override("fraud.threshold=6"));
  std::map<std::string, std::string> effective;
  const Config c = config_schema().build(assignments, &effective);
  CHECK(c.window == 14 * sim::kDay);
  CHECK(c.threshold == 6);
  CHECK(c.mode == "replay");
  CHECK(effective.at("fraud.threshold") == "6");
  CHECK(effective.at("traffic.rate") == "100/s");
}
