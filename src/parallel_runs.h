#pragma once
// Runs independent jobs on a pool of threads. Each job writes its own result slot, so what comes
// out does not depend on which thread ran what, or when.
#include <cstddef>
#include <functional>

namespace fraudsim {

// Runs job(i) once for every i in [0, count), on up to `threads` threads (at least one), handing
// out indices in increasing order. After each job, on_done(jobs done so far) is called on the
// thread that finished it, one call at a time (it must not throw). If a job throws, no new job starts; once the
// running ones are done, the exception of the lowest index that threw is rethrown.
void run_in_parallel(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& job,
                     const std::function<void(std::size_t done)>& on_done);

// The number of threads this machine runs at once (at least 1).
unsigned available_threads();

}  // namespace fraudsim
