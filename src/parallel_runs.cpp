#include "src/parallel_runs.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fraudsim {

unsigned available_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

void run_in_parallel(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& job,
                     const std::function<void(std::size_t done)>& on_done) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards done, failures and on_done
  std::size_t done = 0;
  std::vector<std::pair<std::size_t, std::exception_ptr>> failures;

  const auto work = [&] {
    while (!stop.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        job(i);
      } catch (...) {
        stop.store(true);
        const std::lock_guard lock(mutex);
        failures.emplace_back(i, std::current_exception());
        continue;
      }
      const std::lock_guard lock(mutex);
      ++done;
      if (on_done) on_done(done);
    }
  };

  const auto pool_size = static_cast<std::size_t>(std::max(1u, threads));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min(pool_size, count); ++t) pool.emplace_back(work);
  work();  // the calling thread takes part
  for (std::thread& thread : pool) thread.join();

  if (!failures.empty()) {
    std::rethrow_exception(
        std::min_element(failures.begin(), failures.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; })
            ->second);
  }
}

}  // namespace fraudsim
