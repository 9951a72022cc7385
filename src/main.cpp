#include <unistd.h>

#include <iostream>

#include "src/cli.h"

int main(int argc, char** argv) {
  return fraudsim::run_cli(argc, argv, std::cout, std::cerr, ::isatty(STDERR_FILENO) != 0);
}
