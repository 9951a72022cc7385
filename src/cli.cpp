#include "src/cli.h"

#include <ostream>

#include <CLI/CLI.hpp>

#include "sim/remote/server_process.h"
#include "sim/settings.h"
#include "src/interrupt.h"
#include "src/parallel_runs.h"

namespace fraudsim {

int report_escaped_exception(std::ostream& err) {
  try {
    throw;
  } catch (const Interrupted&) {
    err << "\nfraudsim: interrupted; nothing written\n";
    return kExitInterrupted;
  } catch (const sim::InputError& e) {
    err << "fraudsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const sim::remote::ServerError& e) {
    err << "fraudsim: error: " << e.what() << "\n";
    return kExitModelServer;
  } catch (const std::exception& e) {
    err << "fraudsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    err << "fraudsim: internal error: an unknown exception\n";
    return kExitInternal;
  }
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            bool interactive) {
  CLI::App app{"fraudsim: a deterministic simulator of the Stateful Functions fraud-detection "
               "workshop"};
  app.set_version_flag("--version", std::string("fraudsim ") + FRAUDSIM_VERSION);
  app.require_subcommand(1);

  RunOptions run;
  run.interactive = interactive;
  std::string seed;
  CLI::App* run_app = app.add_subcommand("run", "run a scenario and write its results");
  run_app->add_option("scenario", run.scenario, "scenario file (.ini)")->required()->type_name("FILE");
  CLI::Option* seed_option =
      run_app->add_option("--seed", seed, "master seed (overrides run.seed)")->type_name("N");
  run_app->add_option("--set", run.overrides, "override a setting: section.key=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  std::string module;
  CLI::Option* module_option =
      run_app->add_option("--module", module,
                          "take the endpoints (io.statefun.endpoints.v2/http) of this StateFun module.yaml")
          ->type_name("FILE");
  run_app->add_option("--out", run.out, "output directory (default results/runs/<scenario>-seed<N>)")
      ->type_name("DIR");
  run_app->add_option("--trace", run.trace, "write every processed event to this file")
      ->type_name("FILE");
  run_app->add_option("--trace-address", run.trace_address,
                      "trace only events whose target or sender contains this text")
      ->type_name("TEXT");
  run_app->add_option("--trace-type", run.trace_type,
                      "trace only events of this message type or kind (e.g. FraudScore, timer)")
      ->type_name("NAME");
  run_app->add_option("--trace-from", run.trace_from, "trace only events at or after this virtual time")
      ->type_name("TIME");
  run_app->add_option("--trace-until", run.trace_until, "trace only events at or before this virtual time")
      ->type_name("TIME");
  run_app->add_flag("--decisions", run.decisions,
                    "also write decisions.csv: one row per decided transaction");
  run_app->add_flag("--quiet", run.quiet, "print nothing but errors");

  CompareOptions compare;
  compare.interactive = interactive;
  compare.threads = static_cast<int>(available_threads());
  CLI::App* compare_app = app.add_subcommand(
      "compare", "run every combination of varied settings for many seeds and compare them side by side");
  compare_app->add_option("scenario", compare.scenario, "scenario file (.ini)")->required()->type_name("FILE");
  compare_app->add_option("--vary", compare.vary,
                          "vary a setting over values: section.key=v1,v2,... (repeatable; every "
                          "combination runs)")
      ->type_name("KEY=VALUES")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  compare_app->add_option("--seeds", compare.seeds, "seeds to run each variant with: 1..20, 5,9,12 or a mix")
      ->type_name("LIST")
      ->default_str("1..20");
  compare_app->add_option("--set", compare.overrides, "override a setting for every variant (repeatable)")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  compare_app->add_option("--threads", compare.threads, "runs at once (default: every core)")
      ->type_name("N")
      ->default_str(std::to_string(compare.threads));
  compare_app->add_option("--out", compare.out, "output directory (default results/runs/<scenario>-compare)")
      ->type_name("DIR");
  compare_app->add_flag("--quiet", compare.quiet, "print nothing but errors");

  CheckOptions check;
  check.threads = static_cast<int>(available_threads());
  CLI::App* check_app = app.add_subcommand(
      "check", "rerun scenarios at their pinned seeds and compare them with their golden results");
  check_app->add_option("scenarios", check.scenarios, "scenario files (default: every scenarios/*.ini)")
      ->type_name("FILE...");
  check_app->add_flag("--update", check.update, "rewrite the golden results and print what changed");
  check_app->add_option("--golden", check.golden, "directory of the golden results (default results/golden)")
      ->type_name("DIR");
  check_app->add_option("--threads", check.threads, "scenarios at once (default: every core)")
      ->type_name("N");

  std::string trace_a, trace_b;
  CLI::App* diff_app =
      app.add_subcommand("diff", "print the first event at which two traces (run --trace) differ");
  diff_app->add_option("trace_a", trace_a, "the first trace")->required()->type_name("TRACE_A");
  diff_app->add_option("trace_b", trace_b, "the second trace")->required()->type_name("TRACE_B");

  ServeOptions serve;
  CLI::App* serve_app = app.add_subcommand(
      "serve", "serve fraudsim's four functions as a StateFun remote endpoint (request-reply over HTTP)");
  serve_app->add_option("scenario", serve.scenario,
                        "scenario whose settings configure the functions (default: the defaults)")
      ->type_name("FILE");
  serve_app->add_option("--set", serve.overrides, "override a setting: section.key=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  serve_app->add_option("--bind", serve.bind, "address to listen on (default 127.0.0.1: this machine only)")
      ->type_name("ADDRESS");
  serve_app->add_option("--port", serve.port, "port to listen on (default 8000; 0: any free port)")
      ->type_name("N")
      ->check([](const std::string& text) {
        return text.empty() ? std::string("expected a port number, 0 to 65535") : std::string();
      });

  CLI::App* keys_app = app.add_subcommand("keys", "list every scenario key with its default");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "fraudsim: error: " << e.what() << "\nRun 'fraudsim --help' for usage.\n";
    return kExitBadInput;
  }
  if (*seed_option) run.seed = seed;
  if (*module_option) run.module = module;
  if (*run_app) return run_command(run, out, err);
  if (*compare_app) return compare_command(compare, out, err);
  if (*check_app) return check_command(check, out, err);
  if (*diff_app) return diff_command(trace_a, trace_b, out, err);
  if (*serve_app) return serve_command(serve, out, err);
  if (*keys_app) return keys_command(out);
  return kExitBadInput;
}

}  // namespace fraudsim
