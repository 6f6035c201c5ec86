#!/usr/bin/env bash
# Fuzzes the OpenAPI document against a fresh `baton serve` (SQLite in a temporary directory)
# with schemathesis from PyPI: a fixed seed, every check, a bounded time. The settings and the
# few checks turned off per operation, with their reasons, are in tests/fuzz/schemathesis.toml.
# Usage: scripts/fuzz-api.sh [path/to/baton]   (default target/debug/baton). scripts/test.sh
# runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/baton}
SCHEMATHESIS_VERSION=4.32.5
if ! python3 -m schemathesis.cli --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "schemathesis==$SCHEMATHESIS_VERSION"
fi
dir=$(mktemp -d)
db="sqlite://$dir/fuzz.db"
trap 'kill "${pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
echo "fuzzing password 1" | "$BIN" --db "$db" operator add --name Fuzz --email fuzz@example.com \
  --role owner --password-stdin >/dev/null
# The visitor rate limits off: the fuzzer is one address sending thousands of requests.
BATON_VISITOR_STARTS_PER_MINUTE=0 BATON_VISITOR_POSTS_PER_MINUTE=0 \
  BATON_CONVERSATION_POSTS_PER_MINUTE=0 BATON_LOG=warn \
  "$BIN" --db "$db" serve --bind 127.0.0.1:0 >"$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 200); do
  addr=$(sed -n 's/^Baton is serving on \(http:\/\/[^ ]*\).*/\1/p' "$dir/serve.log" | head -1)
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "baton serve did not start" >&2; cat "$dir/serve.log" >&2; exit 1; }
echo "fuzzing $addr (schemathesis $SCHEMATHESIS_VERSION)"
python3 -m schemathesis.cli --config-file tests/fuzz/schemathesis.toml run \
  "$addr/v1/openapi.json" --url "$addr" --no-color
