#include "src/output_dir.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include <fmt/format.h>

#include "sim/settings.h"

namespace fraudsim {

namespace fs = std::filesystem;

namespace {

fs::path sibling(const fs::path& target, const char* tag) {
  return target.parent_path() / fmt::format(".{}.{}-{}", target.filename().string(), tag, ::getpid());
}

// Staging and old directories beside `target` that a run killed outright (SIGKILL, a crash of
// the machine) left behind: their names end in the process id, and that process is gone.
void remove_abandoned_siblings(const fs::path& target) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    for (const char* tag : {"staging", "old"}) {
      const std::string prefix = fmt::format(".{}.{}-", target.filename().string(), tag);
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string pid_text = name.substr(prefix.size());
      if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
      const auto pid = static_cast<pid_t>(std::stol(pid_text));
      if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
      fs::remove_all(entry.path(), ec);
    }
  }
}

// "out/", "out/." and "./out" name the same directory as "out".
fs::path normalized(const fs::path& p) {
  fs::path n = p.lexically_normal();
  if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();
  return n;
}

// Runs a filesystem step, turning its failure into bad input that names the user's path.
template <class Step>
void on_path(const fs::path& shown, const char* what, Step step) {
  try {
    step();
  } catch (const fs::filesystem_error& e) {
    throw sim::InputError(fmt::format("{} {}: {}", what, shown.string(), e.code().message()));
  }
}

}  // namespace

void write_result_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary);
  file << content;
  if (!file.flush()) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

bool is_result_file(const std::string& name) {
  static const std::array<const char*, 10> kNames{
      "summary.json",          "alerts.csv",    "timeseries.csv", "perf.json",
      "latency_histogram.csv", "decisions.csv", "compare.json",   "compare.csv",
      "compare.html",          "model-server.log"};
  for (const char* known : kNames) {
    if (name == known) return true;
  }
  return false;
}

StagedDirectory::StagedDirectory(fs::path target) : target_(normalized(target)) {
  if (target_.empty() || target_ == "." || target_ == ".." || target_ == target_.root_path()) {
    throw sim::InputError(fmt::format("--out {}: choose a directory of its own for the results",
                                      target.string()));
  }
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(target_, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      throw sim::InputError(fmt::format("--out {}: exists and is not a directory", target_.string()));
    }
    for (const auto& entry : fs::directory_iterator(target_, ec)) {
      const std::string name = entry.path().filename().string();
      if (!is_result_file(name) || !entry.is_regular_file()) {
        throw sim::InputError(fmt::format(
            "--out {}: holds '{}', which is not a fraudsim result; fraudsim replaces only "
            "directories of its own results, so choose another directory",
            target_.string(), name));
      }
    }
  }
  on_path(target_, "--out", [&] {
    if (!target_.parent_path().empty()) fs::create_directories(target_.parent_path());
    remove_abandoned_siblings(target_);
    staging_ = sibling(target_, "staging");
    fs::remove_all(staging_);
    fs::create_directory(staging_);
  });
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedDirectory::commit() {
  on_path(target_, "--out", [&] {
    const fs::path old = sibling(target_, "old");
    fs::remove_all(old);
    if (fs::exists(target_)) fs::rename(target_, old);
    fs::rename(staging_, target_);
    fs::remove_all(old);
  });
  committed_ = true;
}

TraceFile::TraceFile(const fs::path& path, const fs::path& scenario, const fs::path& output_directory)
    : target_(path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);  // follows symbolic links
  if (fs::is_directory(status)) {
    throw sim::InputError(fmt::format("--trace {}: is a directory", path.string()));
  }
  if (fs::exists(status) && fs::equivalent(path, scenario, ec)) {
    throw sim::InputError(fmt::format("--trace {}: is the scenario file", path.string()));
  }
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path), ec);
  const fs::path out = fs::weakly_canonical(fs::absolute(output_directory), ec);
  const auto [mismatch, rest] = std::mismatch(out.begin(), out.end(), absolute.begin(), absolute.end());
  if (mismatch == out.end()) {
    throw sim::InputError(fmt::format(
        "--trace {}: lies in the output directory {}, which the run replaces; put it elsewhere",
        path.string(), output_directory.string()));
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    stream_.open(path, std::ios::binary);  // a device or a FIFO: no rename, no staging
  } else {
    // Through a symbolic link, the file it points to is replaced, not the link.
    target_ = absolute;
    temporary_ = sibling(target_, "partial");
    stream_.open(temporary_, std::ios::binary);
  }
  if (!stream_) throw sim::InputError(fmt::format("--trace {}: cannot create the file", path.string()));
}

TraceFile::~TraceFile() {
  if (committed_ || temporary_.empty()) return;
  stream_.close();
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void TraceFile::commit() {
  if (!stream_.flush()) throw std::runtime_error("cannot write the trace");
  stream_.close();
  if (!temporary_.empty()) on_path(target_, "--trace", [&] { fs::rename(temporary_, target_); });
  committed_ = true;
}

}  // namespace fraudsim
