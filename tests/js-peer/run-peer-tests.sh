#!/usr/bin/env bash
# Runs the JavaScript-peer suite: installs the peer's locked npm packages into WORK_DIR (once per
# lock file), starts tests/js-peer/peer.js on a free loopback port, runs TEST_EXECUTABLE against
# it (FRAUDSIM_JS_PEER: its URL; FRAUDSIM_JS_PEER_DIR: where peer.js and its packages are, for tests
# that start peers of their own), and stops the peer whatever happens.
#   run-peer-tests.sh TEST_EXECUTABLE WORK_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe=$1
work=$2
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/peer.js" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/.installed-lock.json"; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$work/.installed-lock.json"
fi

node "$work/peer.js" --port 0 --window-ms 120000 >"$work/peer.out" 2>"$work/peer.err" &
peer=$!
trap 'kill "$peer" 2>/dev/null || true; wait "$peer" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on //p' "$work/peer.out")
  [ -n "$port" ] && break
  if ! kill -0 "$peer" 2>/dev/null; then
    echo "the JavaScript peer did not start:" >&2
    cat "$work/peer.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "the JavaScript peer did not start listening within 10 s" >&2
  exit 1
fi
FRAUDSIM_JS_PEER="http://127.0.0.1:$port/statefun" FRAUDSIM_JS_PEER_DIR="$work" "$exe"
