#include "src/interrupt.h"

#include <csignal>

namespace fraudsim {
namespace {

volatile std::sig_atomic_t interrupted = 0;
extern "C" void on_interrupt(int) { interrupted = 1; }

}  // namespace

InterruptGuard::InterruptGuard() {
  interrupted = 0;
  previous_int_ = std::signal(SIGINT, on_interrupt);
  previous_term_ = std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

bool interrupt_requested() { return interrupted != 0; }

void throw_if_interrupted() {
  if (interrupt_requested()) throw Interrupted{};
}

}  // namespace fraudsim
