#!/usr/bin/env bash
# Builds and starts the Baton desktop app (Tauri 2 over WebKitGTK) on this machine's own
# SQLite database (in the OS data directory; BATON_DATABASE_URL chooses another, e.g. a shared
# PostgreSQL). It installs the Debian/Ubuntu packages it needs, the UI's npm packages, builds the
# web UI (ui/dist) and a release build of `baton-desktop`, then runs it.
#
#   ./scripts/desktop.sh               build (first time: about 10 minutes on 2 cores) and start
#   ./scripts/desktop.sh --build-only  build only, e.g. over SSH; run target/release/baton-desktop
#
# For a team server with the same UI in a browser, use ./scripts/start.sh (`baton serve`).
cd "$(dirname "$0")/.."
source scripts/lib.sh

build_only=0
case "${1:-}" in
  --build-only) build_only=1 ;;
  "") ;;
  *)
    echo "usage: $0 [--build-only]" >&2
    exit 2
    ;;
esac

if [ "$build_only" = 0 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<'MSG'
error: no display: neither $DISPLAY nor $WAYLAND_DISPLAY is set, so the desktop app has no
screen to open its window on. Run this from a terminal in a graphical desktop session (or with
`ssh -X`), or:
  ./scripts/desktop.sh --build-only   to only build it (then run target/release/baton-desktop)
  ./scripts/start.sh                  to run the server instead, with the same UI in a browser
                                      at http://127.0.0.1:8787
MSG
  exit 1
fi

need_rust
need_node
apt_install "${BUILD_PACKAGES[@]}"
build_ui
# custom-protocol: the production build, serving the embedded UI (no development server).
cargo build --release --locked -p baton-desktop --features custom-protocol
app=./target/release/baton-desktop
if [ "$build_only" = 1 ]; then
  echo "built: $app" >&2
  exit 0
fi
echo "starting $app" >&2
exec "$app"
