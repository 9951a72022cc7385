#include "model/replay_traffic.h"

#include <fstream>

#include <fmt/format.h>

#include "model/scenario.h"
#include "sim/settings.h"

namespace fraudsim {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    std::string field = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto first = field.find_first_not_of(" \t\r");
    const auto last = field.find_last_not_of(" \t\r");
    fields.push_back(first == std::string::npos ? std::string() : field.substr(first, last - first + 1));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

// Reads a CSV file whose header must be `expected` (optionally followed by `optional`), calling
// `row(fields, where)` for each data row; `where` is "path:line" for messages.
template <class Row>
void read_csv(const std::string& path, const std::vector<std::string>& expected,
              const std::string& optional, Row row) {
  std::ifstream in(path);
  if (!in) throw sim::InputError(fmt::format("{}: cannot open the replay file", path));
  std::string line;
  int number = 0;
  bool header_seen = false;
  std::size_t columns = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> fields = split_fields(line);
    const std::string where = fmt::format("{}:{}", path, number);
    if (!header_seen) {
      std::vector<std::string> with_optional = expected;
      with_optional.push_back(optional);
      if (fields != expected && (optional.empty() || fields != with_optional)) {
        throw sim::InputError(fmt::format("{}: header must be '{}{}'", where,
                                          fmt::join(expected, ","),
                                          optional.empty() ? "" : "[," + optional + "]"));
      }
      header_seen = true;
      columns = fields.size();
      continue;
    }
    if (fields.size() != columns) {
      throw sim::InputError(fmt::format("{}: expected {} fields, found {}", where, columns,
                                        fields.size()));
    }
    row(fields, where);
  }
  if (!header_seen) throw sim::InputError(fmt::format("{}: the file is empty", path));
}

sim::Time parse_time(const std::string& text, const std::string& where, sim::Time previous) {
  sim::Time time;
  try {
    time = sim::parse_duration_value(text);
  } catch (const sim::ValueError& e) {
    throw sim::InputError(fmt::format("{}: time '{}': {}", where, text, e.what()));
  }
  if (time < previous) {
    throw sim::InputError(fmt::format("{}: time '{}' is earlier than the row before; rows must be "
                                      "in time order", where, text));
  }
  return time;
}

// Whether `text` is valid UTF-8 (protobuf strings must be). Checks the byte structure only.
bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t continuation;
    if (lead < 0x80) continuation = 0;
    else if ((lead >> 5) == 0x6) continuation = 1;
    else if ((lead >> 4) == 0xE) continuation = 2;
    else if ((lead >> 3) == 0x1E) continuation = 3;
    else return false;
    if (text.size() - i <= continuation) return false;
    for (std::size_t k = 1; k <= continuation; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += continuation + 1;
  }
  return true;
}

void require_text(const std::string& value, const char* column, const std::string& where) {
  if (value.empty()) throw sim::InputError(fmt::format("{}: {} is empty", where, column));
  if (!valid_utf8(value)) throw sim::InputError(fmt::format("{}: {} is not valid UTF-8", where, column));
}

}  // namespace

std::vector<ReplayTransaction> read_replay_transactions(const std::string& path) {
  std::vector<ReplayTransaction> rows;
  read_csv(path, {"time", "account", "merchant", "amount"}, "fraud",
           [&](const std::vector<std::string>& f, const std::string& where) {
             ReplayTransaction row;
             row.time = parse_time(f[0], where, rows.empty() ? 0 : rows.back().time);
             require_text(f[1], "account", where);
             require_text(f[2], "merchant", where);
             row.transaction.set_account(f[1]);
             row.transaction.set_merchant(f[2]);
             try {
               row.transaction.set_amount(
                   static_cast<std::int32_t>(sim::parse_integer(f[3], 0, INT32_MAX)));
             } catch (const sim::ValueError& e) {
               throw sim::InputError(fmt::format("{}: amount '{}': {}", where, f[3], e.what()));
             }
             row.transaction.set_truth(workshop::TRUTH_UNKNOWN);
             if (f.size() > 4 && !f[4].empty()) {
               if (f[4] == "1" || f[4] == "true") {
                 row.transaction.set_truth(workshop::TRUTH_FRAUD);
               } else if (f[4] == "0" || f[4] == "false") {
                 row.transaction.set_truth(workshop::TRUTH_LEGITIMATE);
               } else {
                 throw sim::InputError(fmt::format(
                     "{}: fraud '{}': expected 1, 0, true, false or nothing", where, f[4]));
               }
             }
             rows.push_back(std::move(row));
           });
  return rows;
}

std::vector<ReplayConfirmation> read_replay_confirmations(const std::string& path) {
  std::vector<ReplayConfirmation> rows;
  read_csv(path, {"time", "account"}, "",
           [&](const std::vector<std::string>& f, const std::string& where) {
             ReplayConfirmation row;
             row.time = parse_time(f[0], where, rows.empty() ? 0 : rows.back().time);
             require_text(f[1], "account", where);
             row.account = f[1];
             rows.push_back(std::move(row));
           });
  return rows;
}

ReplayTraffic::ReplayTraffic(const Scenario& scenario, Ingress& ingress) : ingress_(ingress) {
  transactions_ = read_replay_transactions(scenario.traffic.replay_transactions);
  if (!scenario.traffic.replay_confirmations.empty()) {
    confirmations_ = read_replay_confirmations(scenario.traffic.replay_confirmations);
  }
}

void ReplayTraffic::start(sim::Runtime& runtime) {
  // Each row schedules the next, so the queue holds one pending row per file.
  transactions_timer_ = runtime.add_timer(
      "replay.transactions", [this](sim::Runtime& rt, std::uint64_t i) {
        ingress_.transaction(rt, transactions_[i].transaction);
        if (i + 1 < transactions_.size()) {
          rt.schedule_timer(transactions_[i + 1].time, transactions_timer_, i + 1);
        }
      });
  confirmations_timer_ = runtime.add_timer(
      "replay.confirmations", [this](sim::Runtime& rt, std::uint64_t i) {
        ingress_.confirmation(rt, confirmations_[i].account);
        if (i + 1 < confirmations_.size()) {
          rt.schedule_timer(confirmations_[i + 1].time, confirmations_timer_, i + 1);
        }
      });
  if (!transactions_.empty()) runtime.schedule_timer(transactions_[0].time, transactions_timer_, 0);
  if (!confirmations_.empty()) {
    runtime.schedule_timer(confirmations_[0].time, confirmations_timer_, 0);
  }
}

}  // namespace fraudsim
