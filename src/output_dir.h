#pragma once
// Results appear whole or not at all: a run writes into a staging directory beside the target and,
// once everything is written, swaps it in. If the run fails, the staging directory is removed and
// the previous results (if any) stay as they were.
#include <filesystem>

namespace fraudsim {

class StagedDirectory {
 public:
  // Refuses (InputError) a target that exists and is neither empty nor a previous fraudsim output
  // (one holding summary.json), so a mistyped --out never replaces someone's directory.
  explicit StagedDirectory(std::filesystem::path target);
  ~StagedDirectory();  // removes the staging directory unless committed
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }
  std::filesystem::path file(const char* name) const { return staging_ / name; }
  // Replaces the target with the staging directory.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

// Writes a file through a temporary name beside it and renames it into place when committed.
class StagedFile {
 public:
  explicit StagedFile(std::filesystem::path target);
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  const std::filesystem::path& temporary() const { return temporary_; }
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  bool committed_ = false;
};

}  // namespace fraudsim
