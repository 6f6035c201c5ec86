#!/usr/bin/env bash
# The server option (for teams, or a machine without a display): builds Baton (the web UI and
# the server) and runs `baton serve` on the embedded SQLite database (in the OS data directory)
# at http://127.0.0.1:8787 with the UI at `/`, printing a first admin API token on the first
# start. Arguments go to `baton serve` (e.g. --bind, --db). The desktop app: ./scripts/desktop.sh.
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
apt_install build-essential pkg-config
build_ui
cargo build --release --locked -p baton --bin baton
exec ./target/release/baton serve "$@"
