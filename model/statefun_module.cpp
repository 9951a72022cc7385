#include "model/statefun_module.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "model/endpoints.h"

namespace fraudsim {

namespace {

constexpr const char* kHttpEndpointKind = "io.statefun.endpoints.v2/http";

std::string where(const std::string& path, const YAML::Mark& mark) {
  return fmt::format("{}:{}", path, mark.line + 1);
}

std::string text_field(const YAML::Node& spec, const char* key, const std::string& path) {
  const YAML::Node value = spec[key];
  if (!value || !value.IsScalar() || value.Scalar().empty()) {
    throw sim::InputError(fmt::format("{}: an {} endpoint needs spec.{} (a string)",
                                      where(path, spec.Mark()), kHttpEndpointKind, key));
  }
  return value.Scalar();
}

}  // namespace

std::vector<sim::SettingAssignment> read_module_endpoints(const std::string& path) {
  std::ifstream file(path);
  if (!file || std::filesystem::is_directory(path)) {
    throw sim::InputError(fmt::format("{}: cannot read the module file", path));
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(file);
  } catch (const YAML::Exception& e) {
    throw sim::InputError(fmt::format("{}: not valid YAML: {}", where(path, e.mark), e.msg));
  }
  std::vector<sim::SettingAssignment> endpoints;
  for (const YAML::Node& document : documents) {
    if (!document.IsMap()) continue;
    const YAML::Node kind = document["kind"];
    if (!kind || !kind.IsScalar() || kind.Scalar() != kHttpEndpointKind) continue;
    const YAML::Node spec = document["spec"];
    if (!spec || !spec.IsMap()) {
      throw sim::InputError(fmt::format("{}: an {} document needs a spec",
                                        where(path, document.Mark()), kHttpEndpointKind));
    }
    endpoints.push_back(sim::SettingAssignment{
        std::string(kEndpointsSection) + text_field(spec, "functions", path),
        text_field(spec, "urlPathTemplate", path), where(path, spec.Mark())});
  }
  if (endpoints.empty()) {
    throw sim::InputError(fmt::format("{}: no endpoint of kind {} in it", path, kHttpEndpointKind));
  }
  return endpoints;
}

}  // namespace fraudsim
