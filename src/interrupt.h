#pragma once
// Ctrl-C and SIGTERM during a long command: while an InterruptGuard lives, either signal only sets
// a flag, which the command polls (from its progress hooks) to stop at the next check and remove
// what it had begun to write.
namespace fraudsim {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();  // restores the previous handlers
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

// A signal arrived since the innermost InterruptGuard was made.
bool interrupt_requested();

// Thrown by a command's hooks to unwind once an interrupt is requested.
struct Interrupted {};

// Throws Interrupted when interrupt_requested().
void throw_if_interrupted();

}  // namespace fraudsim
