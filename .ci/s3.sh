#!/usr/bin/env bash
# An S3-compatible server for the platform tests: moto in server mode, from PyPI, in
# target/moto-venv. Starts it on a free local port (once per machine: a running one is
# reused) and prints its endpoint URL.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/moto-venv
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.1.*' >&2
fi
state=target/moto-server.port
if [ -f "$state" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$state")/moto-api/" 2>/dev/null; then
  echo "http://127.0.0.1:$(cat "$state")"
  exit 0
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" > target/moto-server.log 2>&1 &
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
    echo "$port" > "$state"
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.2
done
echo "moto_server did not start; see target/moto-server.log" >&2
exit 1
