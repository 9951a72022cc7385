#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <google/protobuf/wrappers.pb.h>

#include "sim/random.h"
#include "sim/runtime.h"
#include "sim/settings.h"
#include "test_support.h"

using fraudsim::testing::Received;
using fraudsim::testing::Recorder;
using fraudsim::testing::RecordingEgress;
using sim::Address;
using sim::Context;
using sim::Message;
using sim::Runtime;
using sim::Time;

namespace {

constexpr Time kHop = 3 * sim::kMillisecond;

Message text(std::string value) {
  google::protobuf::StringValue message;
  message.set_value(std::move(value));
  return sim::make_message(std::move(message));
}

std::string text_of(const Message& message) {
  if (!message) return "<none>";
  const auto* value = sim::message_as<google::protobuf::StringValue>(message);
  return value ? value->value() : "<not text>";
}

std::vector<std::string> texts(const std::vector<Received>& log) {
  std::vector<std::string> out;
  for (const Received& r : log) out.push_back(text_of(r.message));
  return out;
}

// A function whose behaviour each test writes as a lambda.
class Scripted : public sim::StatefulFunction {
 public:
  using OnMessage = std::function<void(Context&, const std::string&)>;
  using OnAsync = std::function<void(Context&, const sim::AsyncResult&)>;
  explicit Scripted(OnMessage on_message, OnAsync on_async = {})
      : on_message_(std::move(on_message)), on_async_(std::move(on_async)) {}

  void invoke(Context& context, const Message& message) override {
    on_message_(context, text_of(message));
  }
  void on_async_result(Context& context, const sim::AsyncResult& result) override {
    if (!on_async_) {
      sim::StatefulFunction::on_async_result(context, result);
      return;
    }
    on_async_(context, result);
  }

 private:
  OnMessage on_message_;
  OnAsync on_async_;
};

// A runtime with a recorder bound to "test/sink" and a scripted function bound to "test/actor".
struct Fixture {
  explicit Fixture(Scripted::OnMessage on_message, Scripted::OnAsync on_async = {})
      : runtime(sim::RuntimeOptions{kHop}),
        actor(std::move(on_message), std::move(on_async)),
        recorder(log) {
    actor_type = runtime.declare_type("test/actor");
    sink_type = runtime.declare_type("test/sink");
    runtime.bind(actor_type, &actor);
    runtime.bind(sink_type, &recorder);
  }

  Runtime runtime;
  Scripted actor;
  std::vector<Received> log;
  Recorder recorder;
  sim::TypeId actor_type = 0;
  sim::TypeId sink_type = 0;
};

struct Read {
  Time time;
  std::string id;
  std::optional<int> value;
};

// A counter kept per address, with an optional time to live, that answers reads into `reads`.
class Counter : public sim::StatefulFunction {
 public:
  Counter(std::vector<Read>& reads, Time ttl) : reads_(reads), count_("count", ttl) {}
  void invoke(Context& context, const Message& message) override {
    const std::string command = text_of(message);
    if (command == "incr") {
      const int* current = count_.get(context);
      count_.set(context, current ? *current + 1 : 1);
    } else if (command == "touch") {
      touched_.set(context, true);
    } else if (command == "untouch") {
      touched_.clear(context);
    } else if (command == "clear") {
      count_.clear(context);
    } else if (command == "read") {
      const int* current = count_.get(context);
      reads_.push_back(
          {context.now(), context.self_id(), current ? std::optional<int>(*current) : std::nullopt});
    } else {
      FAIL("unexpected command ", command);
    }
  }

 private:
  std::vector<Read>& reads_;
  sim::PersistedValue<int> count_;
  sim::PersistedValue<bool> touched_{"touched"};
};

struct CounterFixture {
  explicit CounterFixture(Time ttl = 0) : counter(reads, ttl) {
    type = runtime.declare_type("test/counter");
    runtime.bind(type, &counter);
  }
  void at(Time t, const std::string& id, const std::string& command) {
    runtime.ingest(t, type, id, text(command));
  }
  std::optional<int> read_now(Time t, const std::string& id) {
    const std::size_t before = reads.size();
    at(t, id, "read");
    runtime.run_until(t);
    REQUIRE(reads.size() == before + 1);
    return reads.back().value;
  }

  Runtime runtime;
  std::vector<Read> reads;
  Counter counter;
  sim::TypeId type = 0;
};

}  // namespace

// ---- messages ------------------------------------------------------------------------------------

TEST_CASE("a sent message arrives exactly one hop later with the sender as caller") {
  Fixture f([&](Context& c, const std::string&) { c.send(f.sink_type, "s1", text("hello")); });
  f.runtime.ingest(100, f.actor_type, "a1", text("go"));
  f.runtime.run_until(100 + kHop - 1);
  CHECK(f.log.empty());
  f.runtime.run_until(sim::kDay);
  REQUIRE(f.log.size() == 1);
  CHECK(f.log[0].time == 100 + kHop);
  CHECK(f.log[0].to == Address{"test/sink", "s1"});
  REQUIRE(f.log[0].from.has_value());
  CHECK(*f.log[0].from == Address{"test/actor", "a1"});
  CHECK(text_of(f.log[0].message) == "hello");
}

TEST_CASE("a message sent to an address value reaches that address") {
  Fixture f([&](Context& c, const std::string&) {
    c.send(Address{"test/sink", "s9"}, text("by address"));
  });
  f.runtime.ingest(0, f.actor_type, "a1", text("go"));
  f.runtime.run_until(sim::kDay);
  REQUIRE(f.log.size() == 1);
  CHECK(f.log[0].to == Address{"test/sink", "s9"});
  CHECK(f.log[0].time == kHop);
}

TEST_CASE("sending to an undeclared type is refused") {
  bool tried = false;
  Fixture f([&](Context& c, const std::string&) {
    tried = true;
    CHECK_THROWS_AS(c.send(Address{"test/nobody", "x"}, text("lost")), std::invalid_argument);
  });
  f.runtime.ingest(0, f.actor_type, "a1", text("go"));
  f.runtime.run_until(sim::kDay);
  CHECK(tried);
  CHECK(f.runtime.pending_events() == 0);
}

TEST_CASE("a message to a type with no bound function stops the run with an error") {
  Runtime runtime;
  const sim::TypeId unbound = runtime.declare_type("test/unbound");
  runtime.ingest(0, unbound, "x", text("hello"));
  CHECK_THROWS_AS(runtime.run_until(sim::kDay), std::runtime_error);
}

TEST_CASE("a reply goes back to the caller one hop later") {
  Runtime runtime(sim::RuntimeOptions{kHop});
  std::vector<Received> client_log;
  const sim::TypeId client_type = runtime.declare_type("test/client");
  const sim::TypeId server_type = runtime.declare_type("test/server");
  Scripted client([&](Context& c, const std::string& m) {
    if (m == "start") {
      c.send(server_type, "srv", text("ping"));
    } else {
      client_log.push_back({c.now(), c.self(), c.caller(), text(m)});
    }
  });
  Scripted server([&](Context& c, const std::string& m) {
    CHECK(m == "ping");
    CHECK(c.caller() == Address{"test/client", "cl"});
    c.reply(text("pong"));
  });
  runtime.bind(client_type, &client);
  runtime.bind(server_type, &server);
  runtime.ingest(50, client_type, "cl", text("start"));
  runtime.run_until(sim::kDay);
  REQUIRE(client_log.size() == 1);
  CHECK(client_log[0].time == 50 + 2 * kHop);
  CHECK(client_log[0].to == Address{"test/client", "cl"});
  CHECK(client_log[0].from == Address{"test/server", "srv"});
  CHECK(text_of(client_log[0].message) == "pong");
}

TEST_CASE("an ingress message has no caller and replying to it is an error") {
  bool handled = false;
  Fixture f([&](Context& c, const std::string&) {
    handled = true;
    CHECK_FALSE(c.has_caller());
    CHECK_THROWS_AS(c.caller(), std::logic_error);
    CHECK_THROWS_AS(c.reply(text("to nobody")), std::logic_error);
  });
  f.runtime.ingest(0, f.actor_type, "a1", text("from outside"));
  f.runtime.run_until(sim::kDay);
  CHECK(handled);
  CHECK(f.runtime.pending_events() == 0);
}

TEST_CASE("ingress into the past is refused") {
  Fixture f([](Context&, const std::string&) {});
  f.runtime.ingest(1000, f.actor_type, "a1", text("go"));
  f.runtime.run_until(sim::kDay);
  CHECK_THROWS_AS(f.runtime.ingest(999, f.actor_type, "a1", text("late")), std::logic_error);
  CHECK_NOTHROW(f.runtime.ingest(1000, f.actor_type, "a1", text("same instant")));
}

TEST_CASE("a context knows its own address and the time") {
  Fixture f([&](Context& c, const std::string&) {
    CHECK(c.self() == Address{"test/actor", "who-am-i"});
    CHECK(c.self_id() == "who-am-i");
    CHECK(c.now() == 777);
    CHECK(&c.runtime() == &f.runtime);
  });
  f.runtime.ingest(777, f.actor_type, "who-am-i", text("go"));
  f.runtime.run_until(sim::kDay);
  CHECK(f.runtime.events_processed() == 1);
}

// ---- ordering ------------------------------------------------------------------------------------

TEST_CASE("simultaneous ingress messages run in the order they were ingested") {
  Fixture f([](Context&, const std::string&) {});
  for (const char* name : {"c", "a", "d", "b"}) f.runtime.ingest(500, f.sink_type, name, text(name));
  f.runtime.ingest(499, f.sink_type, "first", text("first"));
  f.runtime.run_until(sim::kDay);
  CHECK(texts(f.log) == std::vector<std::string>{"first", "c", "a", "d", "b"});
}

TEST_CASE("a delayed message scheduled earlier runs before a message sent later for the same "
          "instant") {
  // At 0 the actor schedules a delayed message due at 10 ms; at 10 ms minus one hop it sends a
  // message, which also arrives at 10 ms. The one scheduled first runs first.
  Fixture f([&](Context& c, const std::string& m) {
    if (m == "arm") c.send_after(10 * sim::kMillisecond, f.sink_type, "s", text("delayed"));
    if (m == "send") c.send(f.sink_type, "s", text("sent"));
  });
  f.runtime.ingest(0, f.actor_type, "a", text("arm"));
  f.runtime.ingest(10 * sim::kMillisecond - kHop, f.actor_type, "a", text("send"));
  f.runtime.run_until(sim::kDay);
  REQUIRE(f.log.size() == 2);
  CHECK(texts(f.log) == std::vector<std::string>{"delayed", "sent"});
  CHECK(f.log[0].time == 10 * sim::kMillisecond);
  CHECK(f.log[1].time == 10 * sim::kMillisecond);
}

TEST_CASE("a message sent earlier runs before a delayed message scheduled later for the same "
          "instant") {
  // The mirror image: the send happens first, the delayed message is scheduled after it.
  Fixture f([&](Context& c, const std::string& m) {
    if (m == "send") c.send(f.sink_type, "s", text("sent"));
    if (m == "arm") c.send_after(kHop - 1, f.sink_type, "s", text("delayed"));
  });
  f.runtime.ingest(0, f.actor_type, "a", text("send"));
  f.runtime.ingest(1, f.actor_type, "a", text("arm"));
  f.runtime.run_until(sim::kDay);
  CHECK(texts(f.log) == std::vector<std::string>{"sent", "delayed"});
  CHECK(f.log[1].time == kHop);
}

TEST_CASE("a timer set before a reply is sent runs first when both fall due together") {
  // The client sets a timeout of two hops, then sends a request; the server replies at once, so
  // the reply also arrives two hops later. The timeout was scheduled first, so it runs first.
  Runtime runtime(sim::RuntimeOptions{kHop});
  const sim::TypeId client_type = runtime.declare_type("test/client");
  const sim::TypeId server_type = runtime.declare_type("test/server");
  std::vector<std::pair<Time, std::string>> seen;
  Scripted client([&](Context& c, const std::string& m) {
    if (m == "start") {
      c.send_after(2 * kHop, client_type, c.self_id(), text("timeout"));
      c.send(server_type, "srv", text("request"));
    } else {
      seen.emplace_back(c.now(), m);
    }
  });
  Scripted server([](Context& c, const std::string&) { c.reply(text("reply")); });
  runtime.bind(client_type, &client);
  runtime.bind(server_type, &server);
  runtime.ingest(0, client_type, "cl", text("start"));
  runtime.run_until(sim::kDay);
  CHECK(seen == std::vector<std::pair<Time, std::string>>{{2 * kHop, "timeout"},
                                                          {2 * kHop, "reply"}});
}

TEST_CASE("messages sent in one handler arrive in the order they were sent") {
  Fixture f([&](Context& c, const std::string&) {
    for (const char* m : {"one", "two", "three"}) c.send(f.sink_type, "s", text(m));
    c.send_after(kHop, f.sink_type, "s", text("four"));  // same delay as a hop, sent last
  });
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  f.runtime.run_until(sim::kDay);
  CHECK(texts(f.log) == std::vector<std::string>{"one", "two", "three", "four"});
}

// ---- delayed messages ----------------------------------------------------------------------------

TEST_CASE("a delayed message arrives after exactly its delay, not a tick early") {
  const Time delay = 5;  // far below the hop latency: no hop is added
  Fixture f([&](Context& c, const std::string&) {
    c.send_after(delay, f.sink_type, "s", text("later"));
  });
  f.runtime.ingest(1000, f.actor_type, "a", text("go"));
  f.runtime.run_until(1000 + delay - 1);
  CHECK(f.log.empty());
  CHECK(f.runtime.pending_events() == 1);
  f.runtime.run_until(1000 + delay);
  REQUIRE(f.log.size() == 1);
  CHECK(f.log[0].time == 1000 + delay);
  CHECK(f.log[0].from == Address{"test/actor", "a"});
}

TEST_CASE("a long fixed delay with a FIFO lane arrives after exactly its delay") {
  const Time window = 30 * sim::kDay;
  Fixture f([&](Context& c, const std::string& m) {
    c.send_after(window, f.sink_type, "s", text(m));
  });
  f.runtime.expect_fixed_delay(window);
  f.runtime.ingest(7, f.actor_type, "a", text("x"));
  f.runtime.ingest(9, f.actor_type, "a", text("y"));
  f.runtime.run_until(7 + window - 1);
  CHECK(f.log.empty());
  f.runtime.run_until(7 + window);
  REQUIRE(f.log.size() == 1);
  f.runtime.run_until(sim::kNever);
  REQUIRE(f.log.size() == 2);
  CHECK(f.log[0].time == 7 + window);
  CHECK(f.log[1].time == 9 + window);
}

TEST_CASE("a delayed message with zero delay runs at the same instant after the handler") {
  std::vector<std::string> order;
  Fixture f([&](Context& c, const std::string& m) {
    order.push_back(m);
    if (m == "go") c.send_after(0, f.actor_type, c.self_id(), text("again"));
    order.push_back("end of " + m);
  });
  f.runtime.ingest(40, f.actor_type, "a", text("go"));
  f.runtime.run_until(40);
  CHECK(order == std::vector<std::string>{"go", "end of go", "again", "end of again"});
  CHECK(f.runtime.now() == 40);
}

TEST_CASE("a negative delay is refused") {
  bool tried = false;
  Fixture f([&](Context& c, const std::string&) {
    tried = true;
    CHECK_THROWS_AS(c.send_after(-1, f.sink_type, "s", text("back in time")),
                    std::invalid_argument);
  });
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  f.runtime.run_until(sim::kDay);
  CHECK(tried);
  CHECK(f.log.empty());
}

// ---- cancellation --------------------------------------------------------------------------------


namespace {

// Commands for an actor: "arm <token> <delay in us> <text>" sends <text> to test/sink "s" after
// the delay ("-" for no token); "cancel <token>" cancels.
void obey(Context& c, const std::string& command) {
  std::istringstream in(command);
  std::string verb, token, payload;
  in >> verb >> token;
  if (verb == "arm") {
    Time delay = 0;
    in >> delay >> payload;
    c.send_after(delay, c.runtime().type_of("test/sink"), "s", text(payload),
                 token == "-" ? std::string() : token);
  } else if (verb == "cancel") {
    c.cancel_delayed(token);
  } else {
    FAIL("unexpected command ", command);
  }
}

std::string arm(const std::string& token, Time delay, const std::string& payload) {
  return "arm " + token + " " + std::to_string(delay) + " " + payload;
}

}  // namespace

TEST_CASE("a cancelled delayed message is never delivered") {
  Fixture f(obey);
  f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "x")));
  f.runtime.ingest(5 * sim::kSecond, f.actor_type, "a", text("cancel t"));
  f.runtime.run_until(sim::kNever);
  CHECK(f.log.empty());
  CHECK(f.runtime.pending_events() == 0);
}

TEST_CASE("a message cancelled in the handler that scheduled it is never delivered") {
  Fixture f([](Context& c, const std::string&) {
    obey(c, arm("t", 0, "x"));
    obey(c, "cancel t");
  });
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  f.runtime.run_until(sim::kNever);
  CHECK(f.log.empty());
}

TEST_CASE("of two delayed messages due together, cancelling one leaves the other") {
  Fixture f(obey);
  SUBCASE("waiting in the heap") {}
  SUBCASE("waiting in a FIFO lane") { f.runtime.expect_fixed_delay(10 * sim::kSecond); }
  f.runtime.ingest(0, f.actor_type, "a", text(arm("t1", 10 * sim::kSecond, "first")));
  f.runtime.ingest(0, f.actor_type, "a", text(arm("t2", 10 * sim::kSecond, "second")));
  f.runtime.ingest(0, f.actor_type, "a", text(arm("t3", 10 * sim::kSecond, "third")));
  f.runtime.ingest(sim::kSecond, f.actor_type, "a", text("cancel t2"));
  f.runtime.run_until(sim::kNever);
  CHECK(texts(f.log) == std::vector<std::string>{"first", "third"});
  REQUIRE(f.log.size() == 2);
  CHECK(f.log[0].time == 10 * sim::kSecond);
  CHECK(f.log[1].time == 10 * sim::kSecond);
}

TEST_CASE("cancelling a token that was already delivered changes nothing") {
  Fixture f(obey);
  f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "x")));
  f.runtime.ingest(20 * sim::kSecond, f.actor_type, "a", text("cancel t"));
  // The token is free again: a new message under it is delivered.
  f.runtime.ingest(25 * sim::kSecond, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "y")));
  f.runtime.run_until(sim::kNever);
  REQUIRE(f.log.size() == 2);
  CHECK(text_of(f.log[0].message) == "x");
  CHECK(f.log[0].time == 10 * sim::kSecond);
  CHECK(text_of(f.log[1].message) == "y");
  CHECK(f.log[1].time == 35 * sim::kSecond);
}

TEST_CASE("cancelling an unknown token changes nothing") {
  Fixture f(obey);
  f.runtime.ingest(0, f.actor_type, "a", text("cancel never-used"));
  f.runtime.ingest(1, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "x")));
  f.runtime.ingest(2, f.actor_type, "a", text("cancel never-used"));
  f.runtime.ingest(3, f.actor_type, "a", text("cancel "));
  f.runtime.run_until(sim::kNever);
  CHECK(texts(f.log) == std::vector<std::string>{"x"});
}

TEST_CASE("a token belongs to the address that sent the message") {
  Fixture f(obey);
  SUBCASE("another address cannot cancel it") {
    f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "from-a")));
    f.runtime.ingest(sim::kSecond, f.actor_type, "b", text("cancel t"));
    f.runtime.run_until(sim::kNever);
    CHECK(texts(f.log) == std::vector<std::string>{"from-a"});
  }
  SUBCASE("another address using the same token does not take it over") {
    f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "from-a")));
    f.runtime.ingest(0, f.actor_type, "b", text(arm("t", 10 * sim::kSecond, "from-b")));
    f.runtime.ingest(sim::kSecond, f.actor_type, "a", text("cancel t"));
    f.runtime.run_until(sim::kNever);
    CHECK(texts(f.log) == std::vector<std::string>{"from-b"});
  }
}

TEST_CASE("a cancelled delayed message does not advance the clock") {
  Fixture f(obey);
  f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "x")));
  f.runtime.ingest(sim::kSecond, f.actor_type, "a", text("cancel t"));
  f.runtime.run_until(sim::kDay);
  // Only the two ingress messages ran; the cancelled message left the queue without a trace.
  CHECK(f.runtime.now() == sim::kSecond);
  CHECK(f.runtime.events_processed() == 2);
  CHECK(f.runtime.pending_events() == 0);
  CHECK(f.log.empty());
  // So the outside world may still act before the cancelled message's due time.
  CHECK_NOTHROW(f.runtime.ingest(5 * sim::kSecond, f.actor_type, "a", text(arm("-", 0, "y"))));
  f.runtime.run_until(sim::kDay);
  REQUIRE(f.log.size() == 1);
  CHECK(f.log[0].time == 5 * sim::kSecond);
}

TEST_CASE("a reused token names the newer message") {
  Fixture f(obey);
  SUBCASE("the newer message is due later") {
    f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "older")));
    f.runtime.ingest(1, f.actor_type, "a", text(arm("t", 20 * sim::kSecond, "newer")));
    f.runtime.ingest(5 * sim::kSecond, f.actor_type, "a", text("cancel t"));
    f.runtime.run_until(sim::kNever);
    REQUIRE(texts(f.log) == std::vector<std::string>{"older"});
    CHECK(f.log[0].time == 10 * sim::kSecond);
  }
  SUBCASE("the older message was delivered before the cancel") {
    // Delivering the older message must not free the token: it still names the newer one.
    f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 10 * sim::kSecond, "older")));
    f.runtime.ingest(1, f.actor_type, "a", text(arm("t", 20 * sim::kSecond, "newer")));
    f.runtime.ingest(15 * sim::kSecond, f.actor_type, "a", text("cancel t"));
    f.runtime.run_until(sim::kNever);
    REQUIRE(texts(f.log) == std::vector<std::string>{"older"});
    CHECK(f.log[0].time == 10 * sim::kSecond);
  }
  SUBCASE("the newer message is due earlier") {
    f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 20 * sim::kSecond, "older")));
    f.runtime.ingest(1, f.actor_type, "a", text(arm("t", 5 * sim::kSecond, "newer")));
    f.runtime.ingest(2 * sim::kSecond, f.actor_type, "a", text("cancel t"));
    f.runtime.run_until(sim::kNever);
    REQUIRE(texts(f.log) == std::vector<std::string>{"older"});
    CHECK(f.log[0].time == 20 * sim::kSecond);
  }
  SUBCASE("the newer message was delivered before the cancel") {
    f.runtime.ingest(0, f.actor_type, "a", text(arm("t", 20 * sim::kSecond, "older")));
    f.runtime.ingest(1, f.actor_type, "a", text(arm("t", 5 * sim::kSecond, "newer")));
    // The token no longer names a pending message: the older one is not affected.
    f.runtime.ingest(10 * sim::kSecond, f.actor_type, "a", text("cancel t"));
    f.runtime.run_until(sim::kNever);
    CHECK(texts(f.log) == std::vector<std::string>{"newer", "older"});
  }
}

// ---- persisted state -----------------------------------------------------------------------------

TEST_CASE("a persisted value is absent until set, then holds the last value until cleared") {
  CounterFixture f;
  CHECK_FALSE(f.read_now(0, "a").has_value());
  f.at(10, "a", "incr");
  f.at(11, "a", "incr");
  CHECK(f.read_now(12, "a") == 2);
  f.at(13, "a", "clear");
  CHECK_FALSE(f.read_now(14, "a").has_value());
  f.at(15, "a", "incr");
  CHECK(f.read_now(16, "a") == 1);
}

TEST_CASE("persisted values are kept per address") {
  CounterFixture f;
  f.at(1, "a", "incr");
  f.at(2, "a", "incr");
  f.at(3, "b", "incr");
  CHECK(f.read_now(4, "a") == 2);
  CHECK(f.read_now(5, "b") == 1);
  CHECK_FALSE(f.read_now(6, "c").has_value());
  f.at(7, "a", "clear");
  CHECK_FALSE(f.read_now(8, "a").has_value());
  CHECK(f.read_now(9, "b") == 1);
}

TEST_CASE("a value with a time to live is visible up to write + ttl - 1 and gone at write + ttl") {
  const Time ttl = 10 * sim::kSecond;
  CounterFixture f(ttl);
  f.at(1000, "a", "incr");
  f.at(1000, "b", "incr");
  CHECK(f.read_now(1000 + ttl - 1, "a") == 1);
  CHECK_FALSE(f.read_now(1000 + ttl, "b").has_value());
  CHECK_FALSE(f.read_now(1000 + ttl, "a").has_value());
  // An expired value is gone for good: counting starts again.
  f.at(1000 + ttl + 1, "a", "incr");
  CHECK(f.read_now(1000 + ttl + 2, "a") == 1);
}

TEST_CASE("setting a value with a time to live refreshes its write time") {
  const Time ttl = 10 * sim::kSecond;
  CounterFixture f(ttl);
  f.at(0, "a", "incr");
  f.at(6 * sim::kSecond, "a", "incr");
  CHECK(f.read_now(6 * sim::kSecond + ttl - 1, "a") == 2);
  CHECK_FALSE(f.read_now(6 * sim::kSecond + ttl, "a").has_value());
}

TEST_CASE("a value without a time to live never expires") {
  CounterFixture f;
  f.at(0, "a", "incr");
  CHECK(f.read_now(1000 * sim::kDay, "a") == 1);
}

TEST_CASE("type statistics count addresses with state and remember the peak") {
  CounterFixture f;
  const auto stats = [&] { return f.runtime.type_statistics().at(f.type); };
  CHECK(stats().name == "test/counter");
  f.at(1, "a", "incr");
  f.at(1, "b", "incr");
  f.at(1, "c", "incr");
  f.at(1, "a", "touch");  // a second value on an address with state: still one address
  f.runtime.run_until(1);
  CHECK(stats().addresses_with_state == 3);
  CHECK(stats().peak_addresses_with_state == 3);
  CHECK(stats().invocations == 4);
  f.at(2, "b", "clear");
  f.at(2, "a", "clear");  // a keeps its other value
  f.runtime.run_until(2);
  CHECK(stats().addresses_with_state == 2);
  f.at(3, "a", "untouch");
  f.runtime.run_until(3);
  CHECK(stats().addresses_with_state == 1);
  f.at(4, "d", "incr");
  f.runtime.run_until(4);
  CHECK(stats().addresses_with_state == 2);
  CHECK(stats().peak_addresses_with_state == 3);
  CHECK(stats().invocations == 8);
}

TEST_CASE("an expired value stops counting as state once it is read") {
  const Time ttl = sim::kSecond;
  CounterFixture f(ttl);
  f.at(0, "a", "incr");
  f.runtime.run_until(0);
  CHECK(f.runtime.type_statistics().at(f.type).addresses_with_state == 1);
  CHECK_FALSE(f.read_now(ttl, "a").has_value());
  CHECK(f.runtime.type_statistics().at(f.type).addresses_with_state == 0);
  CHECK(f.runtime.live_addresses() == 0);
}

TEST_CASE("live addresses return to zero once state is cleared and nothing is pending") {
  CounterFixture f;
  f.at(1, "a", "incr");
  f.at(1, "b", "incr");
  f.at(1, "c", "read");
  f.runtime.run_until(1);
  CHECK(f.runtime.live_addresses() == 2);  // c holds neither state nor pending events
  f.at(5, "d", "read");
  CHECK(f.runtime.live_addresses() == 3);  // a pending event keeps its target alive
  f.at(2, "a", "clear");
  f.at(2, "b", "clear");
  f.runtime.run_until(2);
  CHECK(f.runtime.live_addresses() == 1);
  f.runtime.run_until(sim::kNever);
  CHECK(f.runtime.live_addresses() == 0);
  CHECK(f.runtime.pending_events() == 0);
}

TEST_CASE("a pending message keeps both its sender and its target alive") {
  Fixture f([&](Context& c, const std::string&) { c.send(f.sink_type, "s", text("hi")); });
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  f.runtime.run_until(0);
  CHECK(f.runtime.live_addresses() == 2);
  f.runtime.run_until(sim::kNever);
  CHECK(f.runtime.live_addresses() == 0);
  REQUIRE(f.log.size() == 1);
  CHECK(f.log[0].from == Address{"test/actor", "a"});
}

TEST_CASE("a recycled address does not see the state of the address it replaces") {
  // Many short-lived addresses, one after another: each must start empty although the runtime
  // reuses the storage of the ones before.
  CounterFixture f;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "acct-" + std::to_string(i);
    const Time t = 10 * i;
    CHECK_FALSE(f.read_now(t, id).has_value());
    f.at(t + 1, id, "incr");
    f.at(t + 1, id, "incr");
    CHECK(f.read_now(t + 2, id) == 2);
    f.at(t + 3, id, "clear");
    f.runtime.run_until(t + 3);
    REQUIRE(f.runtime.live_addresses() == 0);
  }
  CHECK(f.runtime.type_statistics().at(f.type).peak_addresses_with_state == 1);
}

// ---- asynchronous operations ---------------------------------------------------------------------

namespace {

sim::AsyncOutcome succeeds_after(Time delay) {
  return sim::AsyncOutcome{delay, sim::AsyncStatus::kSuccess, nullptr};
}

struct Completion {
  Time time;
  std::string id;
  sim::AsyncStatus status;
  std::string value;
  std::string metadata;
  bool has_caller;
};

}  // namespace

TEST_CASE("an async operation completes after its delay with its outcome and metadata") {
  std::vector<Completion> completions;
  Fixture f(
      [](Context& c, const std::string&) {
        c.start_async({7 * sim::kMillisecond, sim::AsyncStatus::kSuccess, text("score 42")},
                      text("query 1"));
        c.start_async({2 * sim::kMillisecond, sim::AsyncStatus::kFailure, nullptr},
                      text("query 2"));
        c.start_async({2 * sim::kMillisecond, sim::AsyncStatus::kUnknown, text("maybe")},
                      text("query 3"));
      },
      [&](Context& c, const sim::AsyncResult& r) {
        completions.push_back({c.now(), c.self_id(), r.status, text_of(r.value),
                               text_of(r.metadata), c.has_caller()});
      });
  f.runtime.ingest(1000, f.actor_type, "merchant-7", text("go"));
  f.runtime.run_until(sim::kNever);
  REQUIRE(completions.size() == 3);
  // Simultaneous completions come in the order the operations started.
  CHECK(completions[0].time == 1000 + 2 * sim::kMillisecond);
  CHECK(completions[0].status == sim::AsyncStatus::kFailure);
  CHECK(completions[0].value == "<none>");
  CHECK(completions[0].metadata == "query 2");
  CHECK(completions[1].time == 1000 + 2 * sim::kMillisecond);
  CHECK(completions[1].status == sim::AsyncStatus::kUnknown);
  CHECK(completions[1].value == "maybe");
  CHECK(completions[1].metadata == "query 3");
  CHECK(completions[2].time == 1000 + 7 * sim::kMillisecond);
  CHECK(completions[2].status == sim::AsyncStatus::kSuccess);
  CHECK(completions[2].value == "score 42");
  CHECK(completions[2].metadata == "query 1");
  for (const Completion& c : completions) {
    CHECK(c.id == "merchant-7");
    CHECK_FALSE(c.has_caller);
  }
}

TEST_CASE("an async operation keeps its address alive until it completes") {
  Fixture f([](Context& c, const std::string&) { c.start_async(succeeds_after(sim::kSecond), text("m")); },
            [](Context&, const sim::AsyncResult&) {});
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  f.runtime.run_until(0);
  CHECK(f.runtime.live_addresses() == 1);
  CHECK(f.runtime.pending_events() == 1);
  f.runtime.run_until(sim::kSecond - 1);
  CHECK(f.runtime.pending_events() == 1);
  f.runtime.run_until(sim::kSecond);
  CHECK(f.runtime.live_addresses() == 0);
  CHECK(f.runtime.pending_events() == 0);
  CHECK(f.runtime.now() == sim::kSecond);
}

TEST_CASE("an async result for a function that does not handle results is an error") {
  Fixture f([](Context& c, const std::string&) { c.start_async(succeeds_after(5), text("m")); });
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  CHECK_THROWS_AS(f.runtime.run_until(sim::kNever), std::logic_error);
}

TEST_CASE("an async operation with a negative delay is refused") {
  bool tried = false;
  Fixture f([&](Context& c, const std::string&) {
    tried = true;
    CHECK_THROWS_AS(c.start_async(succeeds_after(-1), text("m")), std::invalid_argument);
  });
  f.runtime.ingest(0, f.actor_type, "a", text("go"));
  f.runtime.run_until(sim::kNever);
  CHECK(tried);
  CHECK(f.runtime.pending_events() == 0);
}

TEST_CASE("async statuses have readable names") {
  CHECK(std::string(sim::to_string(sim::AsyncStatus::kSuccess)) == "success");
  CHECK(std::string(sim::to_string(sim::AsyncStatus::kFailure)) == "failure");
  CHECK(std::string(sim::to_string(sim::AsyncStatus::kUnknown)) == "unknown");
}

// ---- egress and timers ---------------------------------------------------------------------------

TEST_CASE("an egress record reaches its sink at the time it is emitted") {
  RecordingEgress alerts, audit;
  sim::EgressId alerts_id = 0, audit_id = 0;
  Fixture f([&](Context& c, const std::string& m) {
    if (m == "alert") {
      c.egress(alerts_id, text("fraud on " + c.self_id()));
    } else {
      c.egress(audit_id, text("audit"));
      c.send_after(sim::kMinute, f.actor_type, c.self_id(), text("alert"));
    }
  });
  alerts_id = f.runtime.bind_egress("alerts", &alerts);
  audit_id = f.runtime.bind_egress("audit", &audit);
  f.runtime.ingest(1234, f.actor_type, "acct-1", text("start"));
  f.runtime.run_until(1234);
  REQUIRE(audit.emitted.size() == 1);
  CHECK(audit.emitted[0].time == 1234);
  CHECK(alerts.emitted.empty());
  f.runtime.run_until(sim::kNever);
  REQUIRE(alerts.emitted.size() == 1);
  CHECK(alerts.emitted[0].time == 1234 + sim::kMinute);
  CHECK(text_of(alerts.emitted[0].message) == "fraud on acct-1");
  CHECK(audit.emitted.size() == 1);
}

TEST_CASE("a timer runs its action at its time with its argument") {
  Fixture f([](Context&, const std::string&) {});
  std::vector<std::pair<Time, std::uint64_t>> fired;
  sim::TimerId timer = 0;
  timer = f.runtime.add_timer("arrivals", [&](Runtime& runtime, std::uint64_t argument) {
    fired.emplace_back(runtime.now(), argument);
    // A traffic source: ingest now and schedule its next arrival.
    runtime.ingest(runtime.now(), f.sink_type, "s", text(std::to_string(argument)));
    if (argument < 3) runtime.schedule_timer(runtime.now() + 100, timer, argument + 1);
  });
  f.runtime.schedule_timer(50, timer, 1);
  f.runtime.run_until(sim::kNever);
  CHECK(fired == std::vector<std::pair<Time, std::uint64_t>>{{50, 1}, {150, 2}, {250, 3}});
  CHECK(texts(f.log) == std::vector<std::string>{"1", "2", "3"});
  CHECK(f.log[2].time == 250);
  CHECK_THROWS_AS(f.runtime.schedule_timer(249, timer, 9), std::logic_error);
}

// ---- running to a horizon ------------------------------------------------------------------------

TEST_CASE("run_until runs every event stamped at the horizon and none after it") {
  const Time horizon = 100 * sim::kMillisecond;
  Fixture f([&](Context& c, const std::string& m) {
    // Messages made during the run count too: one lands on the horizon, one just after.
    if (m == "relay-to-horizon") c.send(f.sink_type, "s", text("relayed to horizon"));
    if (m == "relay-past-horizon") c.send(f.sink_type, "s", text("relayed past horizon"));
  });
  f.runtime.ingest(horizon / 2, f.sink_type, "s", text("before"));
  f.runtime.ingest(horizon - kHop, f.actor_type, "a", text("relay-to-horizon"));
  f.runtime.ingest(horizon + 1 - kHop, f.actor_type, "a", text("relay-past-horizon"));
  f.runtime.ingest(horizon, f.sink_type, "s", text("at horizon"));
  f.runtime.ingest(horizon, f.sink_type, "s", text("at horizon again"));
  f.runtime.ingest(horizon + 1, f.sink_type, "s", text("after"));
  f.runtime.run_until(horizon);
  // The relayed message was scheduled during the run, after the ingress at the horizon.
  CHECK(texts(f.log) ==
        std::vector<std::string>{"before", "at horizon", "at horizon again", "relayed to horizon"});
  CHECK(f.runtime.now() == horizon);
  CHECK(f.runtime.pending_events() == 2);
  // A later call continues where the first stopped.
  f.runtime.run_until(horizon);
  CHECK(f.log.size() == 4);
  f.runtime.run_until(sim::kNever);
  CHECK(texts(f.log) ==
        std::vector<std::string>{"before", "at horizon", "at horizon again", "relayed to horizon",
                                 "after", "relayed past horizon"});
  CHECK(f.runtime.now() == horizon + 1);
  CHECK(f.runtime.pending_events() == 0);
}

TEST_CASE("run_until leaves the clock at the last event it ran") {
  Fixture f([](Context&, const std::string&) {});
  CHECK(f.runtime.now() == 0);
  f.runtime.ingest(300, f.sink_type, "s", text("x"));
  f.runtime.run_until(299);
  CHECK(f.runtime.now() == 0);
  CHECK(f.runtime.events_processed() == 0);
  f.runtime.run_until(sim::kDay);
  CHECK(f.runtime.now() == 300);
  CHECK(f.runtime.events_processed() == 1);
}

TEST_CASE("run_until with a stop condition stops early and can be resumed") {
  Fixture f([](Context&, const std::string&) {});
  constexpr int kEvents = 70'000;  // the condition is checked at intervals, not after every event
  for (int i = 0; i < kEvents; ++i) f.runtime.ingest(i, f.sink_type, "s", text("x"));
  CHECK(f.runtime.run_until(sim::kNever, [] { return false; }) == false);
  CHECK(f.runtime.events_processed() < kEvents);
  CHECK(f.runtime.events_processed() > 0);
  CHECK(f.runtime.run_until(sim::kNever, [] { return true; }) == true);
  CHECK(f.runtime.events_processed() == kEvents);
  CHECK(f.log.size() == kEvents);
}

// ---- fingerprint ---------------------------------------------------------------------------------

namespace {

struct RunShape {
  Time second_time = 2000;
  std::string second_payload = "beta";
  bool swap_simultaneous = false;
  bool egress = true;
};

// A small run with sends, delayed messages, async results and (optionally) egress; returns its
// fingerprint and writes the kept ones to `kept`. Payloads travel only inside messages, never in
// addresses, so a payload change can show only through message contents.
// `recipes` are kept beside the main fingerprint; with `draw`, a random number is drawn first.
std::uint64_t fingerprint_of(const RunShape& shape, const std::vector<std::string>& recipes = {},
                             bool draw = false, std::map<std::string, std::string>* kept = nullptr) {
  RecordingEgress egress;
  sim::EgressId egress_id = 0;
  Fixture f(
      [&](Context& c, const std::string& m) {
        c.send(f.sink_type, "s", text(m));
        c.send_after(sim::kSecond, f.sink_type, "s", text("later " + m));
        c.start_async({5 * sim::kMillisecond, sim::AsyncStatus::kSuccess, text("ok")}, text(m));
      },
      [&](Context& c, const sim::AsyncResult& r) {
        if (shape.egress) c.egress(egress_id, r.metadata);
      });
  egress_id = f.runtime.bind_egress("out", &egress);
  std::vector<sim::FingerprintRecipe> parsed;
  for (const std::string& r : recipes) parsed.push_back(sim::parse_fingerprint_recipe(r));
  f.runtime.keep_fingerprints(parsed);
  if (draw) {
    sim::Rng rng(sim::make_stream(1, "test"));
    rng.next_u64();
  }
  f.runtime.ingest(1000, f.actor_type, "a", text("alpha"));
  f.runtime.ingest(shape.second_time, f.actor_type, "b", text(shape.second_payload));
  const char* first = shape.swap_simultaneous ? "y" : "x";
  const char* second = shape.swap_simultaneous ? "x" : "y";
  f.runtime.ingest(3000, f.sink_type, first, text(first));
  f.runtime.ingest(3000, f.sink_type, second, text(second));
  f.runtime.run_until(sim::kNever);
  CHECK(egress.emitted.size() == (shape.egress ? 2U : 0U));
  CHECK(f.runtime.fingerprint().hex().size() == 16);
  if (kept) {
    for (const auto& [recipe, hex] : f.runtime.fingerprints().kept()) (*kept)[recipe] = hex;
  }
  return f.runtime.fingerprint().value();
}

std::map<std::string, std::string> kept_fingerprints(const RunShape& shape,
                                                     const std::vector<std::string>& recipes,
                                                     bool draw = false) {
  std::map<std::string, std::string> kept;
  fingerprint_of(shape, recipes, draw, &kept);
  return kept;
}

}  // namespace

TEST_CASE("the fingerprint is identical for two identical runs") {
  CHECK(fingerprint_of({}) == fingerprint_of({}));
  CHECK(fingerprint_of({.egress = false}) == fingerprint_of({.egress = false}));
  CHECK(fingerprint_of({}) != 0);
}

TEST_CASE("the fingerprint changes when a time differs") {
  for (bool egress : {true, false}) {
    CAPTURE(egress);
    CHECK(fingerprint_of({.egress = egress}) !=
          fingerprint_of({.second_time = 2001, .egress = egress}));
  }
}

TEST_CASE("the fingerprint changes when a payload differs") {
  for (bool egress : {true, false}) {
    CAPTURE(egress);
    CHECK(fingerprint_of({.egress = egress}) !=
          fingerprint_of({.second_payload = "betb", .egress = egress}));
  }
}

TEST_CASE("the fingerprint changes when simultaneous events swap order") {
  CHECK(fingerprint_of({}) != fingerprint_of({.swap_simultaneous = true}));
}

TEST_CASE("the fingerprint covers egress records") {
  CHECK(fingerprint_of({}) != fingerprint_of({.egress = false}));
}

TEST_CASE("a kept fingerprint of every event ingredient equals the main one") {
  const auto kept = kept_fingerprints({}, {"tkamc", "ckmat"});
  CHECK(kept.at("tkamc") == fmt::format("{:016x}", fingerprint_of({})));
  CHECK(kept.at("ckmat") == kept.at("tkamc"));  // the order of letters does not matter
}

TEST_CASE("a fingerprint without content ignores a payload and still sees a time") {
  const std::vector<std::string> recipes{"tka", "c"};
  const auto base = kept_fingerprints({.egress = false}, recipes);
  const auto payload = kept_fingerprints({.second_payload = "betb", .egress = false}, recipes);
  const auto time = kept_fingerprints({.second_time = 2001, .egress = false}, recipes);
  CHECK(payload.at("tka") == base.at("tka"));
  CHECK(payload.at("c") != base.at("c"));
  CHECK(time.at("tka") != base.at("tka"));
  CHECK(time.at("c") == base.at("c"));
}

TEST_CASE("a fingerprint of random draws sees a draw that nothing else sees") {
  const std::vector<std::string> recipes{"r", "tkamc"};
  const auto quiet = kept_fingerprints({}, recipes);
  const auto drawn = kept_fingerprints({}, recipes, true);
  CHECK(drawn.at("r") != quiet.at("r"));
  CHECK(drawn.at("tkamc") == quiet.at("tkamc"));
  // Without an 'r' recipe nothing listens: a draw outside a run is heard by no one.
  CHECK(sim::set_draw_listener(nullptr) == nullptr);
}

TEST_CASE("a fingerprint recipe takes each of tkamcr at most once") {
  CHECK(sim::parse_fingerprint_recipe("tka").ingredients ==
        (sim::kTimeIngredient | sim::kKindIngredient | sim::kAddressIngredient));
  CHECK(sim::parse_fingerprint_recipe("r").ingredients == sim::kRandomIngredient);
  CHECK_THROWS_WITH_AS(sim::parse_fingerprint_recipe("tx"),
                       doctest::Contains("'x' is not an ingredient"), sim::ValueError);
  CHECK_THROWS_WITH_AS(sim::parse_fingerprint_recipe("tt"), "'t' is given twice", sim::ValueError);
  CHECK_THROWS_AS(sim::parse_fingerprint_recipe(""), sim::ValueError);
}

TEST_CASE("a run that processed nothing leaves the fingerprint as it started") {
  Runtime runtime;
  runtime.run_until(sim::kDay);
  CHECK(runtime.fingerprint().value() == sim::Fingerprint().value());
  CHECK(runtime.fingerprint().hex() == sim::Fingerprint().hex());
}

// ---- set-up --------------------------------------------------------------------------------------

TEST_CASE("declaring a type twice gives the same id and unknown types are refused") {
  Runtime runtime;
  const sim::TypeId a = runtime.declare_type("ns/a");
  const sim::TypeId b = runtime.declare_type("ns/b");
  CHECK(a != b);
  CHECK(runtime.declare_type("ns/a") == a);
  CHECK(runtime.type_of("ns/b") == b);
  CHECK(runtime.type_name(a) == "ns/a");
  CHECK(runtime.type_statistics().size() == 2);
  CHECK_THROWS_AS(runtime.type_of("ns/c"), std::invalid_argument);
}

TEST_CASE("a negative hop latency is refused") {
  CHECK_THROWS_AS(Runtime(sim::RuntimeOptions{-1}), std::invalid_argument);
}

TEST_CASE("a zero hop latency delivers at the same instant, after the sender's handler") {
  Runtime runtime(sim::RuntimeOptions{0});
  std::vector<std::string> order;
  const sim::TypeId type = runtime.declare_type("test/ping");
  Scripted ping([&](Context& c, const std::string& m) {
    order.push_back(c.self_id() + ":" + m + "@" + std::to_string(c.now()));
    if (m == "go") c.send(type, "other", text("hop"));
    order.push_back("end");
  });
  runtime.bind(type, &ping);
  runtime.ingest(9, type, "one", text("go"));
  runtime.run_until(9);
  CHECK(order == std::vector<std::string>{"one:go@9", "end", "other:hop@9", "end"});
}
