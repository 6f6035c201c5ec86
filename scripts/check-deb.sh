#!/usr/bin/env bash
# Builds the server package (`cargo deb`: a release `baton`, the systemd unit, the environment
# file), installs it on this machine, checks what it put where, starts the installed binary as
# the service user the way the unit does and asks it for /healthz, then purges the package and
# checks that only the data stays. Needs root or sudo (it installs a package). The cargo-deb
# tool comes from crates.io, installed once into a cache directory.
# Usage: scripts/check-deb.sh. scripts/test.sh runs it unless BATON_DEB_CHECK=0.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_install dpkg-dev adduser systemd curl
tools="${BATON_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baton/tools}"
CARGO_DEB_VERSION=3.8.0
if command -v cargo-deb >/dev/null && cargo-deb --version | grep -q "$CARGO_DEB_VERSION"; then
  :
elif [ -x "$tools/bin/cargo-deb" ]; then
  export PATH="$tools/bin:$PATH"
else
  echo "installing cargo-deb $CARGO_DEB_VERSION into $tools" >&2
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked --root "$tools" --quiet
  export PATH="$tools/bin:$PATH"
fi
deb=$(cargo deb -p baton --locked --output target/debian/ 2>&1 | tail -1)
[ -f "$deb" ] || { echo "cargo deb made no package: $deb" >&2; exit 1; }
echo "built $deb ($(du -h "$deb" | cut -f1))"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/baton ./etc/baton/baton.env ./usr/share/doc/baton-server/deploy.md; do
  grep -q " $f\$" <<<"$contents" || { echo "the package lacks $f" >&2; echo "$contents" >&2; exit 1; }
done
grep -qE " \./(usr/)?lib/systemd/system/baton\.service\$" <<<"$contents" \
  || { echo "the package lacks the systemd unit" >&2; echo "$contents" >&2; exit 1; }

if dpkg-query -W baton-server >/dev/null 2>&1; then
  echo "baton-server is installed already; not touching it" >&2
  exit 1
fi
had_data=$([ -e /var/lib/baton ] && echo yes || echo no)
cleanup() { $SUDO dpkg --purge baton-server >/dev/null 2>&1 || true; }
trap cleanup EXIT
$SUDO dpkg -i "$deb"
getent passwd baton >/dev/null || { echo "no baton user after install" >&2; exit 1; }
[ "$(stat -c '%U:%G %a' /etc/baton/baton.env)" = "root:baton 640" ] \
  || { echo "/etc/baton/baton.env: $(stat -c '%U:%G %a' /etc/baton/baton.env)" >&2; exit 1; }
unit=$(ls /lib/systemd/system/baton.service /usr/lib/systemd/system/baton.service 2>/dev/null | head -1)
out=$(systemd-analyze verify --man=no "$unit" 2>&1) || { echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify warned: $out" >&2; exit 1; }
/usr/bin/baton --version

# As the unit runs it: the service user, XDG_DATA_HOME=/var/lib, the state directory systemd
# would create (no systemd as PID 1 here to start the unit itself).
$SUDO install -d -o baton -g baton -m 0700 /var/lib/baton
log=$(mktemp)
$SUDO runuser -u baton -- env XDG_DATA_HOME=/var/lib BATON_LOG=warn \
  /usr/bin/baton serve --bind 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  addr=$(sed -n 's/^Baton is serving on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -1)
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "${addr:-}" ] || { echo "the installed baton did not start:" >&2; cat "$log" >&2; exit 1; }
[ "$(curl -fsS "$addr/healthz")" = ok ] || { echo "no /healthz from the installed baton" >&2; exit 1; }
$SUDO kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
$SUDO test -f /var/lib/baton/baton.db || { echo "no database in /var/lib/baton" >&2; exit 1; }
$SUDO test -f /var/lib/baton/secret.key || { echo "no key file in /var/lib/baton" >&2; exit 1; }
echo "the installed baton served on $addr with its data in /var/lib/baton"

$SUDO dpkg --purge baton-server
trap - EXIT
for f in /usr/bin/baton /etc/baton/baton.env "$unit"; do
  [ ! -e "$f" ] || { echo "$f is left after purging" >&2; exit 1; }
done
$SUDO test -f /var/lib/baton/baton.db || { echo "purging removed the data" >&2; exit 1; }
[ "$had_data" = yes ] || $SUDO rm -rf /var/lib/baton
rm -f "$log"
echo "baton-server: built, installed, served, purged (the data stayed)"
