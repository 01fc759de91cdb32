#!/usr/bin/env bash
# The platform on its embedded default: SQLite under var/, demo data, worker + server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
bin=.venv/bin
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"

$bin/planwatch init
$bin/planwatch create_demo_users
$bin/planwatch load_demo
$bin/planwatch evaluate

# The background worker (large imports, recomputation) lives as long as the server does.
$bin/planwatch worker --interval 1 >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo "planwatch: http://$host:$port/  (worker log: var/worker.log)"
$bin/planwatch runserver "$host:$port"
