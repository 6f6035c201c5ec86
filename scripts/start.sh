#!/usr/bin/env bash
# Builds Baton and runs its main job on the embedded SQLite database (in the OS data directory):
# `baton serve` on http://127.0.0.1:8787, printing a first admin API token on the first start.
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
apt_install build-essential pkg-config
cargo build --release -p baton --bin baton
exec ./target/release/baton serve "$@"
