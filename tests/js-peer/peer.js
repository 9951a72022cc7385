// Remote functions written with the official StateFun JavaScript SDK, as a user of the workshop's
// StateFun 3 edition would write them, for fraudsim's tests. They know nothing of fraudsim.
//
//   node peer.js [--port N] [--window-ms MS] [--bias B --weight-count C --weight-merchant M
//                 --weight-amount A --missing-merchant X] [--never-above USD]
//
// --never-above is the workshop's "change the model" exercise: a transaction over USD scores 0.
// Prints "listening on PORT" once it accepts connections (port 0: any free port).
"use strict";

const http = require("http");
const { StateFun, Context, messageBuilder, kafkaEgressMessage } = require("apache-flink-statefun");

function option(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const port = option("port", 8000);
const windowMs = option("window-ms", 30 * 24 * 3600 * 1000);
const weights = {
  bias: option("bias", 0),
  count: option("weight-count", 10),
  merchant: option("weight-merchant", 0.5),
  amount: option("weight-amount", 0.0005),
  missingMerchant: option("missing-merchant", 50),
};
const neverAbove = option("never-above", Infinity);

const FeatureVector = StateFun.jsonType("com.ververica.types/feature-vector");
const ConfirmFraud = StateFun.jsonType("com.ververica.types/confirm-fraud");

const statefun = new StateFun();

// The model: a weighted sum of the features, rounded half away from zero, clamped to [0, 100].
statefun.bind({
  typename: "com.ververica.ds/model",
  fn(context, message) {
    const f = message.as(FeatureVector);
    const merchant = f.score === -1 ? weights.missingMerchant : f.score;
    const raw = weights.bias + weights.count * f.count + weights.merchant * merchant +
                weights.amount * f.amount;
    const rounded = raw < 0 ? -Math.round(-raw) : Math.round(raw);
    const score = f.amount > neverAbove ? 0 : Math.min(100, Math.max(0, rounded));
    context.send(messageBuilder({
      typename: context.caller.typename, id: context.caller.id, value: score, valueType: StateFun.intType(),
    }));
  },
});

// FraudCount: confirmed frauds in the window. Each confirmation counts one and sends itself an
// expiry after the window, under a token of its own; the count is deleted when it reaches zero.
statefun.bind({
  typename: "com.ververica.fn/counter",
  specs: [
    { name: "fraud_count", type: StateFun.intType() },
    { name: "confirmations", type: StateFun.intType() },
  ],
  fn(context, message) {
    if (message.is(ConfirmFraud)) {
      context.storage.fraud_count = (context.storage.fraud_count || 0) + 1;
      const n = (context.storage.confirmations || 0) + 1;
      context.storage.confirmations = n;
      context.sendAfter(windowMs, messageBuilder({
        typename: context.self.typename, id: context.self.id, value: "expire", valueType: StateFun.stringType(),
      }), `fraud-${context.self.id}-${n}`);
      return;
    }
    const text = message.asString();
    if (text === "expire") {
      const count = (context.storage.fraud_count || 0) - 1;
      context.storage.fraud_count = count > 0 ? count : null;
    } else if (text === "query" && context.caller) {
      context.send(messageBuilder({
        typename: context.caller.typename, id: context.caller.id,
        value: context.storage.fraud_count || 0, valueType: StateFun.intType(),
      }));
    }
  },
});

// A reminder for protocol tests: "arm:TOKEN:MS" sets one, "disarm:TOKEN" cancels it, and a
// reminder that goes off ("ring:TOKEN") is sent to local/recorder and to the "io/out" egress.
statefun.bind({
  typename: "fraudsim.test/reminder",
  specs: [{ name: "armed", type: StateFun.intType() }],
  fn(context, message) {
    const [verb, token, ms] = message.asString().split(":");
    if (verb === "arm") {
      context.storage.armed = (context.storage.armed || 0) + 1;
      context.sendAfter(Number(ms), messageBuilder({
        typename: context.self.typename, id: context.self.id, value: "ring:" + token,
        valueType: StateFun.stringType(),
      }), token);
    } else if (verb === "disarm") {
      context.cancelDelayedMessage(token);
    } else if (verb === "ring") {
      context.send(messageBuilder({
        typename: "local/recorder", id: context.self.id, value: "rang:" + token,
        valueType: StateFun.stringType(),
      }));
      context.send(kafkaEgressMessage({
        typename: "io/out", topic: "reminders", key: context.self.id, value: token,
      }));
    }
  },
});

const server = http.createServer(statefun.handler());
server.listen(port, "127.0.0.1", () => {
  console.log(`listening on ${server.address().port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
