#pragma once
// Results appear whole or not at all: a run writes into a staging directory beside the target and,
// once everything is written, swaps it in. If the run fails or is interrupted, the staging
// directory is removed and the previous results (if any) stay as they were. fraudsim only ever
// replaces a directory that holds nothing but its own result files.
#include <filesystem>
#include <fstream>

namespace fraudsim {

class StagedDirectory {
 public:
  // Refuses (InputError) a target that is not a directory, or holds anything but fraudsim's
  // result files, or cannot be created.
  explicit StagedDirectory(std::filesystem::path target);
  ~StagedDirectory();  // removes the staging directory unless committed
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  const std::filesystem::path& target() const { return target_; }
  std::filesystem::path file(const char* name) const { return staging_ / name; }
  // Replaces the target with the staging directory.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

// The trace file. A regular file (or none yet) is written under a temporary name and renamed into
// place when committed; a device or a FIFO (/dev/stdout, a named pipe) is written as it is.
// Refuses (InputError) a directory, the scenario file itself, and a path inside the output
// directory (which the run replaces).
class TraceFile {
 public:
  TraceFile(const std::filesystem::path& path, const std::filesystem::path& scenario,
            const std::filesystem::path& output_directory);
  ~TraceFile();
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;
  std::ostream& stream() { return stream_; }
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;  // empty when writing straight to a device or FIFO
  std::ofstream stream_;
  bool committed_ = false;
};

// The names of the files a run or a comparison writes; an output directory may hold these and
// nothing else.
bool is_result_file(const std::string& name);

// Writes a whole file (into a staging directory); a failure to write is an internal error.
void write_result_file(const std::filesystem::path& path, const std::string& content);

}  // namespace fraudsim
