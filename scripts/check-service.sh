#!/usr/bin/env bash
# Checks the systemd unit of `baton serve` (packaging/systemd/baton.service) with systemd's
# own tools: `systemd-analyze verify` must print nothing (an unknown or misspelt setting is
# only a warning there, so any output fails), and `systemd-analyze security` must rate its
# exposure at most 2.0 of 10 ("OK"). The unit names /usr/bin/baton; the check points it at the
# built binary. Usage: scripts/check-service.sh [path/to/baton]. scripts/test.sh runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/baton}")
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing: apt-get install systemd" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|^ExecStart=/usr/bin/baton|ExecStart=$BIN|" packaging/systemd/baton.service >"$dir/baton.service"
grep -q "^ExecStart=$BIN " "$dir/baton.service" || { echo "baton.service: no ExecStart=/usr/bin/baton line" >&2; exit 1; }
out=$(systemd-analyze verify --man=no "$dir/baton.service" 2>&1) || { echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify warned:" >&2; echo "$out" >&2; exit 1; }
systemd-analyze security --offline=yes --threshold=20 "$dir/baton.service" | tail -1
# The environment file is what the unit reads: every line a comment, blank, or NAME=value.
if grep -vE '^(#.*|[A-Z_][A-Z0-9_]*=.*|)$' packaging/systemd/baton.env; then
  echo "baton.env: the lines above are neither comments nor NAME=value" >&2
  exit 1
fi
echo "baton.service: verified"
