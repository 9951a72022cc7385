#pragma once
// fraudsim's four functions served to a StateFun runtime (`fraudsim serve`): the classes a run
// embeds, configured by a scenario, on the StateFun 3 edition's conventions. One request at a time.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/pipeline_functions.h"
#include "model/workshop_conventions.h"
#include "sim/remote/function_host.h"

namespace fraudsim {

class ServedFunctions {
 public:
  explicit ServedFunctions(const Scenario& scenario);

  // One serialized ToFunction in, one serialized FromFunction out; throws
  // sim::remote::BadRequest for a request the SDKs would answer with HTTP 500. Thread-safe.
  std::string handle(std::string_view request);
  // The function types served, by their wire names.
  std::vector<std::string> served_types() const;

 private:
  std::mutex mutex_;
  WorkshopConventions conventions_;
  sim::remote::FunctionHost host_;
  PipelineTypes types_;
  PipelineFunctions functions_;
  std::vector<std::unique_ptr<sim::remote::HostedState>> states_;
};

}  // namespace fraudsim
