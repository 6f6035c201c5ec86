#!/usr/bin/env bash
# Builds Baton (the web UI and the server) and runs its main job on the embedded SQLite database
# (in the OS data directory): `baton serve` on http://127.0.0.1:8787 with the UI at `/`, printing
# a first admin API token on the first start.
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
apt_install build-essential pkg-config
if ! command -v npm >/dev/null; then
  echo "error: Node.js (20.19 or newer) and npm are needed to build the UI: install them first." >&2
  exit 1
fi
npm --prefix ui ci --no-audit --no-fund
npm --prefix ui run build
cargo build --release -p baton --bin baton
exec ./target/release/baton serve "$@"
