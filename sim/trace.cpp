#include "sim/trace.h"

#include <fmt/format.h>

namespace sim {

void TraceWriter::write(const TraceRecord& record) {
  line_.clear();
  fmt::format_to(std::back_inserter(line_), "{} {} {}", record.time, record.kind, record.target);
  if (!record.detail.empty()) fmt::format_to(std::back_inserter(line_), " [{}]", record.detail);
  if (record.message != nullptr) {
    fmt::format_to(std::back_inserter(line_), " {} {{{}}}", record.message->GetDescriptor()->name(),
                   record.message->ShortDebugString());
  }
  line_.push_back('\n');
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
}

}  // namespace sim
