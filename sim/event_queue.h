#pragma once
// The pending-event set, ordered by (time, insertion sequence).
//
// The rule: an event due earlier runs first; of events due at the same instant, the one scheduled
// first runs first. So a delayed message scheduled a day ago runs before a message sent a
// millisecond ago for the same instant, and a timer set before a request went out runs before that
// request's reply when both fall due together. The sequence number is global and never reused.
//
// Most events are scheduled a fixed delay after "now" (an internal hop, a 30-day expiry). Such
// events leave in the order they were scheduled, so they can wait in a FIFO lane per delay instead
// of the heap; pop() merges the lanes and the heap by (time, sequence), giving exactly the order of
// one big queue while the heap stays small.
#include <cstdint>
#include <deque>
#include <vector>

#include <boost/heap/d_ary_heap.hpp>

#include "sim/time.h"

namespace sim {

struct QueuedEvent {
  Time time;
  std::uint64_t sequence;
  std::uint32_t payload;  // what the owner of the queue wants to run; opaque here
};

class EventQueue {
 public:
  // From now on, events pushed with push_after(now, delay) for this delay use a FIFO lane.
  void use_fifo_lane_for(Time delay);

  // Schedules at an absolute time.
  void push(Time time, std::uint32_t payload);
  // Schedules `delay` after `now`; `now` must never go backwards between calls.
  void push_after(Time now, Time delay, std::uint32_t payload);

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::size_t heap_size() const { return heap_.size(); }
  // The next event in (time, sequence) order. Needs !empty().
  const QueuedEvent& top();
  // Removes the event top() returned.
  void pop();

 private:
  struct Later {
    bool operator()(const QueuedEvent& a, const QueuedEvent& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };
  struct Lane {
    Time delay;
    std::deque<QueuedEvent> events;
  };
  static constexpr int kFromHeap = -1;
  static constexpr int kUnknown = -2;

  void find_next();

  boost::heap::d_ary_heap<QueuedEvent, boost::heap::arity<4>, boost::heap::compare<Later>> heap_;
  std::vector<Lane> lanes_;
  std::uint64_t next_sequence_ = 0;
  std::size_t size_ = 0;
  int next_source_ = kUnknown;  // where top() found the next event: a lane index or the heap
};

}  // namespace sim
