#pragma once
// Runs the fraudsim command line in-process and captures what it prints.
#include <string>
#include <vector>

namespace fraudsim::testing {

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

// `arguments` excludes the program name, e.g. {"run", "scenarios/workshop.ini", "--quiet"}.
CliResult run_fraudsim(const std::vector<std::string>& arguments);

}  // namespace fraudsim::testing
