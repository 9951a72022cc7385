#include "sim/trace.h"

#include <fmt/format.h>

namespace sim {

bool TraceFilter::keeps(const TraceRecord& record) const {
  if (record.time < from || record.time > until) return false;
  if (!address.empty() && record.target.find(address) == std::string::npos &&
      record.detail.find(address) == std::string::npos) {
    return false;
  }
  if (!type.empty() && type != record.kind &&
      (record.message == nullptr || type != record.message->GetDescriptor()->name())) {
    return false;
  }
  return true;
}

void TraceWriter::write(const TraceRecord& record) {
  if (!filter_.keeps(record)) return;
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
