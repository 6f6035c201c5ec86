#!/usr/bin/env bash
# Installs what the tests need (Debian packages, PostgreSQL, Python requests) and runs every
# check: formatting, clippy, and all tests on SQLite and PostgreSQL. `.ci/run` calls this.
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
apt_install "${BUILD_PACKAGES[@]}" jq postgresql python3

# Python modules the tests use, for whichever python3 is first on PATH: `requests` for the
# seed's Python example, `aiosmtpd` for a real SMTP server on loopback.
py_need() { # module debian-package pypi-name
  python3 -c "import $1" 2>/dev/null && return
  apt_install "$2" || true
  python3 -c "import $1" 2>/dev/null \
    || python3 -m pip install --quiet "$3" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "$3"
}
py_need requests python3-requests requests
py_need aiosmtpd python3-aiosmtpd aiosmtpd

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
