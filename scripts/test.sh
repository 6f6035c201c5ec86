#!/usr/bin/env bash
# Installs what the tests need (Debian packages, PostgreSQL, Python requests) and runs every
# check: formatting, clippy, and all tests on SQLite and PostgreSQL. `.ci/run` calls this.
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
apt_install "${BUILD_PACKAGES[@]}" jq postgresql python3

# The seed's Python example needs `requests`, for whichever python3 is first on PATH.
if ! python3 -c "import requests" 2>/dev/null; then
  apt_install python3-requests
  python3 -c "import requests" 2>/dev/null \
    || python3 -m pip install --quiet requests 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages requests
fi

BATON_TEST_POSTGRES_URL=$($SUDO bash .ci/postgres.sh)
export BATON_TEST_POSTGRES_URL
# Nothing may be skipped silently: missing PostgreSQL or tools fail the run.
export BATON_REQUIRE_POSTGRES=1 BATON_REQUIRE_TOOLS=1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
