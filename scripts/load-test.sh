#!/usr/bin/env bash
# HTTP load test: one demo user with 100,000 transactions, wrk against the listing route of the
# release server, then the server's peak memory. Installs wrk (Debian) if it is missing.
#
#   scripts/load-test.sh                 # SQLite
#   DATABASE=postgres scripts/load-test.sh   # PostgreSQL (SANDBANK_TEST_PG, a fresh schema)
#
# Knobs: TRANSACTIONS (100000), DURATION (15s), CONNECTIONS (64), THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."

TRANSACTIONS="${TRANSACTIONS:-100000}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
DATABASE="${DATABASE:-sqlite}"
PORT="${PORT:-18181}"

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q -p sandbank
bin=target/release/sandbank

work=$(mktemp -d)
schema=""
if [ "$DATABASE" = postgres ]; then
  : "${SANDBANK_TEST_PG:?set SANDBANK_TEST_PG for the PostgreSQL load test}"
  schema="load_$$"
  psql "$SANDBANK_TEST_PG" -qc "CREATE SCHEMA $schema"
  url="${SANDBANK_TEST_PG}?options=-csearch_path%3D${schema}"
else
  url="sqlite://$work/sandbank.db"
fi
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  [ -n "$schema" ] && psql "$SANDBANK_TEST_PG" -qc "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

SANDBANK_LOG=warn "$bin" demo-data --users 1 --transactions-per-user "$TRANSACTIONS" --database-url "$url" | tail -n 2

SANDBANK_LOG=warn SANDBANK_SECRET=load-test-secret-load-test-secret-0000 SANDBANK_LOGINS_PER_MINUTE=1000 \
  "$bin" serve --addr "127.0.0.1:$PORT" --database-url "$url" &
server=$!
for _ in $(seq 1 50); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

token=$(curl -sf -X POST "127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"demo-1@sandbank.test","password":"sandbank-demo"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')

echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION, GET /api/financial/transactions?limit=50 ($DATABASE, $TRANSACTIONS transactions)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$PORT/api/financial/transactions?limit=50"
echo "server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
