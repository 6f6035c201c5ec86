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

# The web UI first: the desktop shell embeds ui/dist when it compiles (tauri.conf.json), so
# cargo clippy/test need the built UI. Node.js 20.19+ with npm comes with the machine.
need_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "error: Node.js (20.19 or newer) and npm are needed for the UI: install them first." >&2
    exit 1
  fi
}
need_node
echo "== ui: npm ci"
npm --prefix ui ci --no-audit --no-fund
echo "== ui: lint (prettier, eslint, svelte-check)"
npm --prefix ui run lint
echo "== ui: unit tests (vitest)"
npm --prefix ui test
echo "== ui: build"
npm --prefix ui run build

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked

# End to end: the built UI on a real `baton serve` (fresh SQLite database on 127.0.0.1) in
# Debian's Chromium, driven by playwright-core (its own browser download does not work here).
apt_install chromium
echo "== ui: end-to-end (chromium)"
cargo build --bin baton --locked
BATON_BIN="$PWD/target/debug/baton" npm --prefix ui run e2e

# Optional: the real desktop window (WebKitGTK under Xvfb) over WebDriver. Off by default: it
# installs tauri-driver with cargo (about a minute).
if [ "${BATON_DESKTOP_E2E:-0}" = 1 ]; then
  apt_install xvfb xauth webkit2gtk-driver
  command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
  echo "== ui: desktop end-to-end (xvfb, tauri-driver)"
  cargo build -p baton-desktop --locked
  PATH="$HOME/.cargo/bin:$PATH" BATON_BIN="$PWD/target/debug/baton" \
    BATON_DESKTOP_BIN="$PWD/target/debug/baton-desktop" npm --prefix ui run e2e:desktop
fi
