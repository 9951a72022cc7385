#include "sim/remote/server_process.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

namespace sim::remote {
namespace {

// The command as it could be typed again: a word with a blank or a quote in it is quoted.
std::string command_text(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += ' ';
    if (word.find_first_of(" \t'\"\\") == std::string::npos) {
      text += word;
      continue;
    }
    text += '\'';
    for (const char c : word) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    text += '\'';
  }
  return text;
}

bool connect_within(int family, int type, int protocol, const sockaddr* address, socklen_t address_length,
                    Time timeout) {
  const int fd = ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) return false;
  bool connected = ::connect(fd, address, address_length) == 0;
  if (!connected && errno == EINPROGRESS) {
    pollfd waiting{fd, POLLOUT, 0};
    if (::poll(&waiting, 1, static_cast<int>(timeout / kMillisecond)) == 1) {
      int error = 0;
      socklen_t length = sizeof error;
      connected = ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
    }
  }
  ::close(fd);
  return connected;
}

}  // namespace

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0; else word += c;
    } else if (c == '\\' && quote != '\'' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (quote == '"') {
      if (c == '"') quote = 0; else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) throw std::invalid_argument(fmt::format("the quote {} is never closed", quote));
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) throw std::invalid_argument("the command is empty");
  if (words.front().empty()) throw std::invalid_argument("the program's name is empty");
  return words;
}

ConnectionProbe::ConnectionProbe(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(a->ai_addr);
    addresses_.push_back({a->ai_family, a->ai_socktype, a->ai_protocol,
                          std::vector<unsigned char>(bytes, bytes + a->ai_addrlen)});
  }
  ::freeaddrinfo(found);
}

bool ConnectionProbe::accepts(Time timeout) const {
  for (const Address& a : addresses_) {
    if (connect_within(a.family, a.type, a.protocol, reinterpret_cast<const sockaddr*>(a.bytes.data()),
                       static_cast<socklen_t>(a.bytes.size()), timeout)) {
      return true;
    }
  }
  return false;
}

bool is_local_address(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), "0", &hints, &found) != 0) return false;
  bool local = false;
  for (const addrinfo* a = found; a != nullptr && !local; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    local = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return local;
}

ServerProcess::ServerProcess(std::vector<std::string> words, std::string directory, std::string log,
                             Time grace)
    : words_(std::move(words)),
      directory_(directory.empty() ? std::filesystem::current_path().string() : std::move(directory)),
      log_(std::move(log)),
      grace_(grace) {}

std::string ServerProcess::describe() const {
  return fmt::format("[{}] in {}", command_text(words_), directory_);
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::spawn() {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> argv;
  for (std::string& word : words_) argv.push_back(word.data());
  argv.push_back(nullptr);
  const int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    throw ServerError(fmt::format("cannot open the server's log {}: {}", log_, std::strerror(errno)));
  }
  log_start_ = ::lseek(log_fd, 0, SEEK_END);  // this start's output begins here
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  // exec's failure comes back through this pipe; a successful exec closes it (CLOEXEC) unread.
  int report[2];
  if (null_fd < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    throw ServerError(fmt::format("cannot start {}: {}", describe(), std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    // Fires when the thread that forked ends, which outlives the ServerProcess it made (a run
    // starts and stops its server on one thread), and when fraudsim is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    sigset_t none;  // a server that waits for SIGTERM must not inherit it blocked
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (::getppid() != parent) ::_exit(127);  // the parent died before the line above
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    int error = 0;
    if (::chdir(directory_.c_str()) != 0) {
      error = errno;
    } else {
      ::execvp(argv[0], argv.data());
      error = errno;
    }
    [[maybe_unused]] const auto written = ::write(report[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  ::close(report[1]);
  if (pid < 0) {
    ::close(report[0]);
    throw ServerError(fmt::format("cannot start {}: {}", describe(), std::strerror(errno)));
  }
  ::setpgid(pid, pid);  // also here, so the group exists whichever of the two runs first
  group_ = pid;
  int error = 0;
  const auto got = ::read(report[0], &error, sizeof error);
  ::close(report[0]);
  pid_ = pid;
  ended_.clear();
  if (got == static_cast<ssize_t>(sizeof error)) {
    reap(true);
    group_ = 0;
    throw ServerError(fmt::format("cannot run {}: {}", describe(), std::strerror(error)));
  }
}

void ServerProcess::start_and_wait(const std::string& host, int port, Time timeout,
                                   const std::function<void()>& while_waiting) {
  spawn();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(timeout);
  const ConnectionProbe probe(host, port);
  for (;;) {
    if (probe.accepts()) {
      if (!reap(false)) return;
    }
    if (reap(false)) {
      stop();  // what it left behind in its group
      throw ServerError(fmt::format("{} {} before it accepted connections on {}:{}{}", describe(),
                                    ended_, host, port, log_tail()));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      stop();
      throw ServerError(fmt::format("{} did not accept connections on {}:{} within {}; stopped{}",
                                    describe(), host, port, format_duration(timeout), log_tail()));
    }
    if (while_waiting) {
      try {
        while_waiting();
      } catch (...) {
        stop();
        throw;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool ServerProcess::reap(bool block) {
  if (pid_ <= 0) return true;
  int status = 0;
  pid_t done;
  do {
    done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (done < 0 && errno == EINTR);
  if (done == 0) return false;
  if (done < 0) {
    ended_ = "ended";
  } else if (WIFEXITED(status)) {
    ended_ = fmt::format("exited with status {}", WEXITSTATUS(status));
  } else {
    ended_ = fmt::format("was killed by signal {}", WTERMSIG(status));
  }
  pid_ = -1;
  return true;
}

void ServerProcess::stop() {
  if (group_ <= 0) return;
  const pid_t group = group_;
  if (pid_ > 0) {
    ::kill(-group, SIGTERM);
    ::kill(-group, SIGCONT);  // a stopped server handles its SIGTERM only once it runs again
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(grace_);
    while (!reap(false)) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(-group, SIGKILL);
        reap(true);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  // Whatever the leader left behind in its group, also when it had ended by itself.
  ::kill(-group, SIGKILL);
  group_ = 0;
}

std::string ServerProcess::log_tail(std::size_t lines) const {
  constexpr std::size_t kLongestLine = 300;  // a server may print anything; a message stays short
  std::ifstream in(log_);
  in.seekg(log_start_);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    if (line.size() > kLongestLine) line = line.substr(0, kLongestLine) + " …";
    last.push_back(std::move(line));
    if (last.size() > lines) last.pop_front();
  }
  if (last.empty()) return "";
  std::string text = "; its last output:";
  for (const std::string& line : last) text += "\n  " + line;
  return text;
}

}  // namespace sim::remote
