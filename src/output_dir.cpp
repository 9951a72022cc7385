#include "src/output_dir.h"

#include <unistd.h>

#include <fmt/format.h>

#include "sim/settings.h"

namespace fraudsim {

namespace fs = std::filesystem;

namespace {

fs::path sibling(const fs::path& target, const char* tag) {
  fs::path name = target.filename();
  if (name.empty()) name = target.parent_path().filename();
  return target.parent_path() / fmt::format(".{}.{}-{}", name.string(), tag, ::getpid());
}

fs::path without_trailing_slash(fs::path p) {
  if (p.has_filename() || p.parent_path() == p) return p;
  return p.parent_path();
}

}  // namespace

StagedDirectory::StagedDirectory(fs::path target) : target_(without_trailing_slash(std::move(target))) {
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec)) {
      throw sim::InputError(fmt::format("--out {}: exists and is not a directory", target_.string()));
    }
    if (!fs::is_empty(target_, ec) && !fs::exists(target_ / "summary.json", ec)) {
      throw sim::InputError(fmt::format(
          "--out {}: exists and does not hold fraudsim results (no summary.json); choose another "
          "directory", target_.string()));
    }
  }
  if (!target_.parent_path().empty()) fs::create_directories(target_.parent_path());
  staging_ = sibling(target_, "staging");
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_);
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedDirectory::commit() {
  std::error_code ec;
  const fs::path old = sibling(target_, "old");
  fs::remove_all(old, ec);
  if (fs::exists(target_, ec)) fs::rename(target_, old);
  fs::rename(staging_, target_);
  fs::remove_all(old, ec);
  committed_ = true;
}

StagedFile::StagedFile(fs::path target)
    : target_(std::move(target)), temporary_(sibling(target_, "partial")) {
  if (!target_.parent_path().empty()) fs::create_directories(target_.parent_path());
}

StagedFile::~StagedFile() {
  if (committed_) return;
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void StagedFile::commit() {
  fs::rename(temporary_, target_);
  committed_ = true;
}

}  // namespace fraudsim
