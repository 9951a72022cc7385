// A server that a run starts and stops itself: commands split as a shell would, started and
// awaited, stopped with its whole process group, and every way it can fail named.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "sim/remote/server_process.h"
#include "test_support.h"

namespace fraudsim::testing {
namespace {

using sim::remote::ServerError;
using sim::remote::ServerProcess;
using sim::remote::split_command;
using Words = std::vector<std::string>;

// The pid a command wrote to `file` (the command runs `echo $$ > file` first).
int pid_in(const std::filesystem::path& file) {
  int pid = 0;
  for (int i = 0; i < 200 && pid == 0; ++i) {
    std::ifstream(file) >> pid;
    if (pid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pid;
}

// Whether the process (a pid read with pid_in) is gone within a second: a signal sent to a group
// reaches the processes in it a moment later.
bool ends_within_a_second(int pid) {
  REQUIRE(pid > 0);
  for (int i = 0; i < 100 && process_alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return !process_alive(pid);
}

// How messages name a command run in the working directory.
std::string in_here(const std::string& command) {
  return "[" + command + "] in " + std::filesystem::current_path().string();
}

std::string fraudsim_serve(int port) {
  return std::string(FRAUDSIM_EXECUTABLE) + " serve --port " + std::to_string(port);
}

}  // namespace

TEST_CASE("server commands are split into words as a shell would, without one") {
  CHECK(split_command("fraudsim serve --port 8071") == Words{"fraudsim", "serve", "--port", "8071"});
  CHECK(split_command("  a   b\tc ") == Words{"a", "b", "c"});
  CHECK(split_command(R"(serve --set "model.rules=amount > 1000 => 0")") ==
        Words{"serve", "--set", "model.rules=amount > 1000 => 0"});
  CHECK(split_command(R"(sh -c 'echo "hi"; exit 3')") == Words{"sh", "-c", R"(echo "hi"; exit 3)"});
  CHECK(split_command(R"(a\ b 'it'\''s' "")") == Words{"a b", "it's", ""});
  CHECK_THROWS_WITH_AS(split_command("sh -c 'oops"), "the quote ' is never closed", std::invalid_argument);
  CHECK_THROWS_WITH_AS(split_command("   "), "the command is empty", std::invalid_argument);
  CHECK_THROWS_WITH_AS(split_command("'' serve"), "the program's name is empty", std::invalid_argument);
}

TEST_CASE("a server is started, answers, and is stopped with its process group") {
  ScratchDirectory dir;
  const int port = unused_port();
  ServerProcess server(split_command(fraudsim_serve(port)), dir.path().string(), (dir / "log").string());
  server.start_and_wait("127.0.0.1", port, 10 * sim::kSecond);
  CHECK(server.running());
  CHECK(sim::remote::accepts_connections("127.0.0.1", port));
  server.stop();
  CHECK_FALSE(server.running());
  CHECK(server.ended() == "exited with status 0");  // fraudsim serve ends cleanly on SIGTERM
  CHECK_FALSE(sim::remote::accepts_connections("127.0.0.1", port));
  CHECK(read_file(dir / "log").find("fraudsim serve:") != std::string::npos);
}

TEST_CASE("a command that cannot run is named with why") {
  ScratchDirectory dir;
  ServerProcess server({"no-such-program-anywhere"}, "", (dir / "log").string());
  CHECK_THROWS_WITH_AS(server.start_and_wait("127.0.0.1", unused_port(), sim::kSecond),
                       ("cannot run " + in_here("no-such-program-anywhere") + ": No such file or directory").c_str(),
                       ServerError);
  CHECK_FALSE(server.running());
}

TEST_CASE("a server that exits before it answers is named with its status and last output") {
  ScratchDirectory dir;
  ServerProcess server(split_command("sh -c 'echo no licence >&2; exit 3'"), "", (dir / "log").string());
  const int port = unused_port();
  CHECK_THROWS_WITH_AS(
      server.start_and_wait("127.0.0.1", port, 10 * sim::kSecond),
      (in_here("sh -c 'echo no licence >&2; exit 3'") + " exited with status 3 before it accepted connections on "
       "127.0.0.1:" + std::to_string(port) + "; its last output:\n  no licence").c_str(),
      ServerError);
}

TEST_CASE("a server that never answers is stopped at the timeout, with everything it started") {
  ScratchDirectory dir;
  const std::filesystem::path pids = dir / "pids";
  // The shell and a child of its own: both must go.
  ServerProcess server(split_command("sh -c 'sleep 60 & echo $! > " + pids.string() + "; wait'"), "",
                       (dir / "log").string());
  const int port = unused_port();
  CHECK_THROWS_WITH_AS(server.start_and_wait("127.0.0.1", port, 300 * sim::kMillisecond),
                       (in_here("sh -c 'sleep 60 & echo $! > " + pids.string() + "; wait'") +
                        " did not accept connections on 127.0.0.1:" + std::to_string(port) +
                        " within 300ms; stopped")
                           .c_str(),
                       ServerError);
  CHECK(ends_within_a_second(pid_in(pids)));
}

TEST_CASE("a server is stopped when its owner goes, and one deaf to SIGTERM is killed") {
  ScratchDirectory dir;
  const int port = unused_port();
  {
    ServerProcess server(split_command(fraudsim_serve(port)), "", (dir / "log").string());
    server.start_and_wait("127.0.0.1", port, 10 * sim::kSecond);
  }
  CHECK_FALSE(sim::remote::accepts_connections("127.0.0.1", port));

  const std::filesystem::path pids = dir / "pids";
  ServerProcess deaf(split_command("sh -c 'trap \"\" TERM; echo $$ > " + pids.string() +
                                   "; while true; do sleep 0.05; done'"),
                     "", (dir / "log").string(), 200 * sim::kMillisecond);
  CHECK_THROWS_AS(deaf.start_and_wait("127.0.0.1", unused_port(), 300 * sim::kMillisecond), ServerError);
  const int pid = pid_in(pids);
  REQUIRE(pid > 0);
  CHECK_FALSE(process_alive(pid));
  CHECK(deaf.ended() == "was killed by signal 9");
}

TEST_CASE("what a server that ended by itself left in its group is stopped too") {
  ScratchDirectory dir;
  const std::filesystem::path pids = dir / "pids";
  // The leader exits at once; its child would go on.
  ServerProcess server(split_command("sh -c 'sleep 60 & echo $! > " + pids.string() + "'"), "",
                       (dir / "log").string());
  CHECK_THROWS_AS(server.start_and_wait("127.0.0.1", unused_port(), 10 * sim::kSecond), ServerError);
  CHECK(ends_within_a_second(pid_in(pids)));
}

TEST_CASE("a server's last output is its own start's, each line cut short") {
  ScratchDirectory dir;
  const std::string log = (dir / "log").string();
  std::ofstream(log) << "an earlier server's line\n";
  ServerProcess server(split_command("sh -c 'printf \"%0400d\\nbye\\n\" 0; exit 1'"), "", log);
  try {
    server.start_and_wait("127.0.0.1", unused_port(), 10 * sim::kSecond);
    FAIL("the server exited; start_and_wait must say so");
  } catch (const ServerError& e) {
    const std::string message = e.what();
    CHECK(message.find("earlier") == std::string::npos);
    CHECK(message.find("\n  " + std::string(300, '0') + " …\n  bye") != std::string::npos);
  }
}

}  // namespace fraudsim::testing
