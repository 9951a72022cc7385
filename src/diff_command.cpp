// fraudsim diff: the first event at which two traces differ.
#include <fstream>
#include <ostream>

#include <fmt/format.h>

#include "sim/settings.h"
#include "src/cli.h"
#include "src/trace_diff.h"

namespace fraudsim {

int diff_command(const std::string& trace_a, const std::string& trace_b, std::ostream& out,
                 std::ostream& err) {
  try {
    std::ifstream a(trace_a, std::ios::binary), b(trace_b, std::ios::binary);
    if (!a) throw sim::InputError(fmt::format("{}: cannot read the trace", trace_a));
    if (!b) throw sim::InputError(fmt::format("{}: cannot read the trace", trace_b));
    const auto divergence = first_divergence(a, b);
    if (a.bad() || b.bad()) throw sim::InputError("a trace could not be read to its end");
    if (!divergence) {
      out << "the traces are the same\n";
      return kExitOk;
    }
    out << describe_divergence(*divergence, trace_a, trace_b);
    return kExitCheckFailed;
  } catch (...) {
    return report_escaped_exception(err);
  }
}

}  // namespace fraudsim
