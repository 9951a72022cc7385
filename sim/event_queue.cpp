#include "sim/event_queue.h"

#include <stdexcept>

namespace sim {

void EventQueue::use_fifo_lane_for(Time delay) {
  for (const Lane& lane : lanes_) {
    if (lane.delay == delay) return;
  }
  lanes_.push_back(Lane{delay, {}});
}

void EventQueue::push(Time time, std::uint32_t payload) {
  heap_.push(QueuedEvent{time, next_sequence_++, payload});
  ++size_;
  next_source_ = kUnknown;
}

void EventQueue::push_after(Time now, Time delay, std::uint32_t payload) {
  for (Lane& lane : lanes_) {
    if (lane.delay != delay) continue;
    const Time time = now + delay;
    if (!lane.events.empty() && lane.events.back().time > time) {
      throw std::logic_error("EventQueue::push_after: time went backwards");
    }
    lane.events.push_back(QueuedEvent{time, next_sequence_++, payload});
    ++size_;
    next_source_ = kUnknown;
    return;
  }
  push(now + delay, payload);
}

void EventQueue::find_next() {
  const QueuedEvent* best = heap_.empty() ? nullptr : &heap_.top();
  next_source_ = kFromHeap;
  Later later;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    if (lanes_[i].events.empty()) continue;
    const QueuedEvent& front = lanes_[i].events.front();
    if (best == nullptr || later(*best, front)) {
      best = &front;
      next_source_ = static_cast<int>(i);
    }
  }
}

const QueuedEvent& EventQueue::top() {
  if (next_source_ == kUnknown) find_next();
  return next_source_ == kFromHeap ? heap_.top() : lanes_[next_source_].events.front();
}

void EventQueue::pop() {
  if (next_source_ == kUnknown) find_next();
  if (next_source_ == kFromHeap) {
    heap_.pop();
  } else {
    lanes_[next_source_].events.pop_front();
  }
  --size_;
  next_source_ = kUnknown;
}

}  // namespace sim
