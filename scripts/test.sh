#!/usr/bin/env bash
# Installs what the tests need (Debian packages, PostgreSQL, Python requests) and runs every
# check: formatting, clippy, and all tests on SQLite and PostgreSQL. `.ci/run` calls this.
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
apt_install "${BUILD_PACKAGES[@]}" jq postgresql python3

# Python modules the tests use, for whichever python3 is first on PATH: `requests` for the
# seed's Python example, `aiosmtpd` for a real SMTP server on loopback, `standardwebhooks` to
# verify webhook signatures with an implementation other than Baton's.
py_need() { # module debian-package pypi-name
  python3 -c "import $1" 2>/dev/null && return
  apt_install "$2" || true
  python3 -c "import $1" 2>/dev/null \
    || python3 -m pip install --quiet "$3" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "$3"
}
py_need requests python3-requests requests
py_need aiosmtpd python3-aiosmtpd aiosmtpd
py_need standardwebhooks python3-standardwebhooks standardwebhooks
py_need openpyxl python3-openpyxl openpyxl

BATON_TEST_POSTGRES_URL=$($SUDO bash .ci/postgres.sh)
export BATON_TEST_POSTGRES_URL
# Nothing may be skipped silently: missing PostgreSQL or tools fail the run.
export BATON_REQUIRE_POSTGRES=1 BATON_REQUIRE_TOOLS=1
# One clean build: incremental state would only add a gigabyte to the target directory.
export CARGO_INCREMENTAL=0
disk() { echo "== disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free, target $(du -sh target/ 2>/dev/null | cut -f1)"; }
disk

# The web UI first: the desktop shell embeds ui/dist when it compiles (tauri.conf.json), so
# cargo clippy/test of the workspace need the built UI. Node.js 20.19+ with npm comes with the
# machine.
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
# The binaries (the e2e tests below run them) in the same cargo invocation as the test targets:
# one feature resolution, so the desktop shell's dependencies (Tauri, GTK, ...) compile once.
echo "== cargo build (tests and binaries, debug)"
cargo build --workspace --bins --tests --locked
disk
echo "== cargo test"
cargo test --workspace --locked
disk

# The OpenAPI document fuzzed against a real server (schemathesis from PyPI, fixed seed, every
# check, one worker, about seven minutes): what the document says is what the server does.
echo "== api: schemathesis"
fuzz_started=$SECONDS
scripts/fuzz-api.sh target/debug/baton
echo "== api: schemathesis took $((SECONDS - fuzz_started)) s"

# The server's systemd unit, by systemd's own verifier and exposure rating.
echo "== packaging: systemd unit"
apt_install systemd
scripts/check-service.sh target/debug/baton
# The server package: built (a release `baton`), installed on this machine, run as its service
# user, purged. BATON_DEB_CHECK=0 skips it (it installs a package).
if [ "${BATON_DEB_CHECK:-1}" = 0 ]; then
  echo "== packaging: server .deb SKIPPED (BATON_DEB_CHECK=0)"
else
  echo "== packaging: server .deb"
  deb_started=$SECONDS
  scripts/check-deb.sh
  echo "== packaging: server .deb took $((SECONDS - deb_started)) s"
fi

# End to end: the built UI on a real `baton serve` (fresh SQLite database on 127.0.0.1) in
# Debian's Chromium, driven by playwright-core (its own browser download does not work here).
apt_install chromium
echo "== ui: end-to-end (chromium)"
BATON_BIN="$PWD/target/debug/baton" npm --prefix ui run e2e

# The real desktop window: the debug baton-desktop built above, under Xvfb, driven over
# WebDriver by tauri-driver (which starts WebKitGTK's WebKitWebDriver). On by default;
# BATON_DESKTOP_E2E=0 skips it. tauri-driver comes from crates.io, installed once (about a
# minute) into a cache directory and reused from there, or from PATH when already installed.
if [ "${BATON_DESKTOP_E2E:-1}" = 0 ]; then
  echo "== ui: desktop end-to-end SKIPPED (BATON_DESKTOP_E2E=0)"
else
  desktop_started=$SECONDS
  echo "== ui: desktop end-to-end (xvfb, tauri-driver, webkit2gtk-driver)"
  apt_install xvfb xauth webkit2gtk-driver
  tools="${BATON_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton/tools}"
  if command -v tauri-driver >/dev/null; then
    tauri_driver=$(command -v tauri-driver)
  elif [ -x "$tools/bin/tauri-driver" ]; then
    tauri_driver="$tools/bin/tauri-driver"
  else
    echo "installing tauri-driver into $tools" >&2
    cargo install tauri-driver --version 2.1.0 --locked --root "$tools" --quiet
    tauri_driver="$tools/bin/tauri-driver"
  fi
  TAURI_DRIVER="$tauri_driver" BATON_BIN="$PWD/target/debug/baton" \
    BATON_DESKTOP_BIN="$PWD/target/debug/baton-desktop" npm --prefix ui run e2e:desktop
  echo "== ui: desktop end-to-end took $((SECONDS - desktop_started)) s"
fi
