#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "sim/event_queue.h"
#include "sim/random.h"

namespace {

struct Popped {
  sim::Time time;
  std::uint64_t sequence;
  std::uint32_t payload;
  friend bool operator==(const Popped&, const Popped&) = default;
};

Popped pop_one(sim::EventQueue& queue) {
  const sim::QueuedEvent& top = queue.top();
  const Popped popped{top.time, top.sequence, top.payload};
  queue.pop();
  return popped;
}

std::vector<std::uint32_t> drain_payloads(sim::EventQueue& queue) {
  std::vector<std::uint32_t> out;
  while (!queue.empty()) out.push_back(pop_one(queue).payload);
  return out;
}

}  // namespace

TEST_CASE("events leave in time order whatever the order they were pushed in") {
  sim::EventQueue queue;
  queue.push(50, 5);
  queue.push(10, 1);
  queue.push(40, 4);
  queue.push(20, 2);
  queue.push(30, 3);
  CHECK(drain_payloads(queue) == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
}

TEST_CASE("simultaneous events leave in the order they were scheduled") {
  sim::EventQueue queue;
  for (std::uint32_t i = 0; i < 20; ++i) queue.push(100, i);
  queue.push(99, 1000);
  std::vector<std::uint32_t> expected{1000};
  for (std::uint32_t i = 0; i < 20; ++i) expected.push_back(i);
  CHECK(drain_payloads(queue) == expected);
}

TEST_CASE("an event scheduled long ago runs before one scheduled just now for the same instant") {
  sim::EventQueue queue;
  queue.use_fifo_lane_for(sim::kDay);
  queue.use_fifo_lane_for(sim::kMillisecond);
  // At 0, a day-long delay; at one day minus a millisecond, a hop. Both fall due at one day.
  queue.push_after(0, sim::kDay, 1);
  queue.push(sim::kDay - sim::kMillisecond, 2);
  CHECK(pop_one(queue).payload == 2);
  queue.push_after(sim::kDay - sim::kMillisecond, sim::kMillisecond, 3);
  queue.push(sim::kDay, 4);
  const Popped first = pop_one(queue);
  const Popped second = pop_one(queue);
  const Popped third = pop_one(queue);
  CHECK(first.payload == 1);
  CHECK(second.payload == 3);
  CHECK(third.payload == 4);
  CHECK(first.time == sim::kDay);
  CHECK(second.time == sim::kDay);
  CHECK(first.sequence < second.sequence);
  CHECK(queue.empty());
}

TEST_CASE("sequence numbers are global across the heap and the lanes and never reused") {
  sim::EventQueue queue;
  queue.use_fifo_lane_for(5);
  queue.push(10, 0);
  queue.push_after(0, 5, 1);
  queue.push_after(0, 7, 2);  // no lane for 7: goes to the heap
  std::set<std::uint64_t> sequences;
  while (!queue.empty()) sequences.insert(pop_one(queue).sequence);
  queue.push(100, 3);
  sequences.insert(pop_one(queue).sequence);
  CHECK(sequences == std::set<std::uint64_t>{0, 1, 2, 3});
}

TEST_CASE("push_after without a lane for the delay schedules now plus delay") {
  sim::EventQueue queue;
  queue.push_after(1000, 250, 7);
  CHECK(queue.heap_size() == 1);
  CHECK(pop_one(queue) == Popped{1250, 0, 7});
}

TEST_CASE("push_after with a lane keeps the event out of the heap") {
  sim::EventQueue queue;
  queue.use_fifo_lane_for(250);
  queue.use_fifo_lane_for(250);  // declaring a lane twice is harmless
  queue.push_after(1000, 250, 7);
  queue.push_after(1000, 250, 8);
  CHECK(queue.size() == 2);
  CHECK(queue.heap_size() == 0);
  CHECK(pop_one(queue) == Popped{1250, 0, 7});
  CHECK(pop_one(queue) == Popped{1250, 1, 8});
}

TEST_CASE("push_after refuses a time that goes backwards in a lane") {
  sim::EventQueue queue;
  queue.use_fifo_lane_for(10);
  queue.push_after(100, 10, 1);
  CHECK_THROWS_AS(queue.push_after(99, 10, 2), std::logic_error);
  CHECK(queue.size() == 1);
}

TEST_CASE("top is the event pop removes, and stays so across pushes") {
  sim::EventQueue queue;
  queue.use_fifo_lane_for(3);
  queue.push(20, 1);
  queue.push_after(0, 3, 2);
  CHECK(queue.top().payload == 2);
  CHECK(queue.top().payload == 2);  // asking twice does not move anything
  CHECK(queue.size() == 2);
  // An earlier push after top() changes what top() and pop() see.
  queue.push(1, 3);
  CHECK(queue.top().payload == 3);
  queue.pop();
  CHECK(queue.top().payload == 2);
  queue.pop();
  CHECK(queue.top().payload == 1);
  queue.pop();
  CHECK(queue.empty());
}

TEST_CASE("pop without a preceding top removes the next event") {
  sim::EventQueue queue;
  queue.use_fifo_lane_for(4);
  queue.push(9, 1);
  queue.push_after(0, 4, 2);
  queue.pop();
  CHECK(queue.top().payload == 1);
}

TEST_CASE("size counts the events in the heap and in every lane") {
  sim::EventQueue queue;
  CHECK(queue.empty());
  CHECK(queue.size() == 0);
  queue.use_fifo_lane_for(1);
  queue.use_fifo_lane_for(2);
  queue.push(5, 0);
  queue.push_after(0, 1, 1);
  queue.push_after(0, 2, 2);
  queue.push_after(0, 2, 3);
  queue.push_after(0, 3, 4);
  CHECK(queue.size() == 5);
  CHECK(queue.heap_size() == 2);
  CHECK_FALSE(queue.empty());
  queue.pop();
  queue.pop();
  CHECK(queue.size() == 3);
  while (!queue.empty()) queue.pop();
  CHECK(queue.size() == 0);
  CHECK(queue.heap_size() == 0);
}

TEST_CASE("FIFO lanes give exactly the order of a plain heap on a mixed workload") {
  // The same operations go to a queue with lanes, a queue without, and a reference ordered set;
  // every pop must agree on time, sequence and payload.
  const sim::Time lane_delays[] = {0, 1, 1000, 30 * sim::kDay, 7};
  const sim::Time other_delays[] = {2, 999, 1001, 5 * sim::kDay};
  sim::EventQueue laned, plain;
  for (sim::Time d : lane_delays) laned.use_fifo_lane_for(d);
  std::set<std::tuple<sim::Time, std::uint64_t, std::uint32_t>> reference;
  std::uint64_t next_sequence = 0;

  sim::Rng rng(sim::make_stream(11, "event queue workload"));
  sim::Time now = 0;
  std::uint32_t next_payload = 0;
  std::size_t pops = 0, lane_pushes = 0;
  std::size_t largest_laned_heap = 0, largest_plain_heap = 0;
  const auto schedule = [&](sim::Time at, bool after, sim::Time delay) {
    const std::uint32_t payload = next_payload++;
    if (after) {
      laned.push_after(now, delay, payload);
      plain.push_after(now, delay, payload);
    } else {
      laned.push(at, payload);
      plain.push(at, payload);
    }
    reference.emplace(after ? now + delay : at, next_sequence++, payload);
  };

  for (int step = 0; step < 20'000; ++step) {
    const std::int64_t action = sim::uniform_int(rng, 0, 10);
    if (action < 4) {
      ++lane_pushes;
      schedule(0, true, lane_delays[sim::uniform_int(rng, 0, 5)]);
    } else if (action < 5) {
      schedule(0, true, other_delays[sim::uniform_int(rng, 0, 4)]);
    } else if (action < 6) {
      // Absolute times, often landing exactly on a lane's times.
      const sim::Time at = now + (sim::bernoulli(rng, 0.5) ? lane_delays[sim::uniform_int(rng, 0, 5)]
                                                            : sim::uniform_int(rng, 0, 5000));
      schedule(at, false, 0);
    } else if (!reference.empty()) {
      const auto expected = *reference.begin();
      reference.erase(reference.begin());
      REQUIRE(laned.size() == reference.size() + 1);
      REQUIRE(plain.size() == reference.size() + 1);
      const Popped from_plain = pop_one(plain);
      const Popped from_laned = pop_one(laned);
      const Popped from_reference{std::get<0>(expected), std::get<1>(expected),
                                  std::get<2>(expected)};
      CAPTURE(step);
      REQUIRE(from_plain == from_reference);
      REQUIRE(from_laned == from_reference);
      REQUIRE(from_laned.time >= now);
      now = from_laned.time;
      ++pops;
      largest_laned_heap = std::max(largest_laned_heap, laned.heap_size());
      largest_plain_heap = std::max(largest_plain_heap, plain.heap_size());
    }
  }
  while (!reference.empty()) {
    const auto expected = *reference.begin();
    reference.erase(reference.begin());
    const Popped from_reference{std::get<0>(expected), std::get<1>(expected),
                                std::get<2>(expected)};
    REQUIRE(pop_one(plain) == from_reference);
    REQUIRE(pop_one(laned) == from_reference);
    ++pops;
  }
  CHECK(laned.empty());
  CHECK(plain.empty());
  CHECK(pops == next_payload);
  // The workload did exercise the lanes, and they kept the heap small.
  CHECK(lane_pushes > 5000);
  CHECK(largest_laned_heap * 2 < largest_plain_heap);
}
