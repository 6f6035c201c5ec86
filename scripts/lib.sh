# Shared helpers for scripts/start.sh and scripts/test.sh.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Installs Debian/Ubuntu packages that are not installed yet (apt-get update first, once).
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
      echo "error: these packages are needed: ${missing[*]} (no apt-get here: install them by hand)" >&2
      exit 1
    fi
    echo "installing: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

need_rust() {
  if ! command -v cargo >/dev/null; then
    echo "error: Rust is missing. Install it with rustup (https://rustup.rs): a stable toolchain, 1.85 or newer." >&2
    exit 1
  fi
}

need_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "error: Node.js (20.19 or newer) and npm are needed to build the UI: install them first." >&2
    exit 1
  fi
}

# The web UI, built to ui/dist (served by `baton serve`, embedded in the desktop app).
build_ui() {
  need_node
  npm --prefix ui ci --no-audit --no-fund
  npm --prefix ui run build
}

# Build dependencies of the core and of the Tauri desktop shell (see shared notes).
BUILD_PACKAGES=(build-essential pkg-config libssl-dev curl file
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev libgtk-3-dev libdbus-1-dev)
