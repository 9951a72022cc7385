#pragma once
// The fraudsim command line. Exit codes: 0 done, 1 internal error, 2 bad input (nothing written).
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace fraudsim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitJobFailed = 3;  // the simulated job failed (a call timeout was spent)
inline constexpr int kExitCheckFailed = 4;  // check: a result differs from its golden one; diff: traces differ
inline constexpr int kExitExpectationBroken = 5;  // a run broke a bound of its scenario's [expect]
inline constexpr int kExitModelServer = 6;  // the model's server (model.server) did not start or died
inline constexpr int kExitInterrupted = 130;  // Ctrl-C or SIGTERM; nothing written

// `interactive`: stderr is a terminal, so progress may be shown.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            bool interactive);

struct RunOptions {
  std::string scenario;
  std::optional<std::string> seed;  // as typed; checked like run.seed
  std::vector<std::string> overrides;
  std::optional<std::string> module;  // a StateFun module.yaml whose endpoints apply
  std::string out;  // empty: results/runs/<scenario>-seed<N>
  std::string trace;
  // Which events the trace keeps, as typed (checked when the run starts).
  std::string trace_address, trace_type, trace_from, trace_until;
  bool decisions = false;  // also write decisions.csv
  bool quiet = false;
  bool interactive = false;
};

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

struct CompareOptions {
  std::string scenario;
  std::vector<std::string> vary;       // "section.key=v1,v2,..." as typed, one per --vary
  std::string seeds = "1..20";
  std::vector<std::string> overrides;  // --set, for every variant
  int threads = 1;
  std::string out;  // empty: results/runs/<scenario>-compare
  bool quiet = false;
  bool interactive = false;
};

int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err);

struct CheckOptions {
  std::vector<std::string> scenarios;  // empty: every scenarios/*.ini
  std::string golden = "results/golden";
  bool update = false;
  int threads = 1;
};

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err);

// Exit 0 when the traces are the same, kExitCheckFailed when they differ.
int diff_command(const std::string& trace_a, const std::string& trace_b, std::ostream& out,
                 std::ostream& err);

struct ServeOptions {
  std::string scenario;  // empty: the defaults
  std::vector<std::string> overrides;
  std::string bind = "127.0.0.1";
  int port = 8000;
};

int serve_command(const ServeOptions& options, std::ostream& out, std::ostream& err);

// Inside a catch block: reports the exception a command let escape and returns its exit code
// (kExitInterrupted for Interrupted, kExitBadInput for sim::InputError, kExitInternal for anything
// else).
int report_escaped_exception(std::ostream& err);
int keys_command(std::ostream& out);

}  // namespace fraudsim
