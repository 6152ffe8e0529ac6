#!/usr/bin/env bash
# HTTP throughput of the release server under wrk, on SQLite and (with SANDBANK_TEST_PG) on
# PostgreSQL, in one command; prints one table per backend and the server's peak memory.
#
#   scripts/load-test.sh                       # both backends (PostgreSQL when SANDBANK_TEST_PG is set)
#   BACKENDS=sqlite scripts/load-test.sh       # one of them
#
# Two users: "small" holds ten connections (about 1,800 transactions, 30 accounts, as in
# issue 15's measurements) for the page of one account and the accounts list; "demo-1" holds
# TRANSACTIONS (100,000) for the listing across every account.
# Knobs: TRANSACTIONS, DURATION (10s), THREADS (2), PORT (18181).
# Installs wrk (Debian) if it is missing. wrk and the server share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

TRANSACTIONS="${TRANSACTIONS:-100000}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18181}"
BACKENDS="${BACKENDS:-sqlite${SANDBANK_TEST_PG:+ postgres}}"
base="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q -p sandbank
bin=target/release/sandbank

work=$(mktemp -d)
server=""
schema=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$schema" ] && psql "$SANDBANK_TEST_PG" -qc "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# post PATH TOKEN JSON: the JSON answer.
post() { curl -sf -X POST "$base$1" -H 'Content-Type: application/json' ${2:+-H "Authorization: Bearer $2"} -d "$3"; }
# field NAME: the first string value of NAME in the JSON on stdin.
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1; }

# load NAME CONNECTIONS TOKEN PATH: one wrk run; prints a table row.
load() {
  local out rps p99
  out=$(wrk -t"$THREADS" -c"$2" -d"$DURATION" --latency -H "Authorization: Bearer $3" "$base$4")
  rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; echo "non-2xx answers in: $1" >&2; exit 1; fi
  printf '| %s, %d connections | %s req/s, p99 %s |\n' "$1" "$2" "$rps" "$p99"
}

# memory FIELD: a figure of the server's /proc status in MB: VmHWM, its peak resident memory
# (since start, or since it was last reset); VmRSS, its resident memory now.
memory() { awk -v field="$1:" '$1 == field {printf "%d MB", $2 / 1024}' "/proc/$server/status"; }

# prepare BACKEND: the database URL (a fresh file or schema), filled with the demo user.
prepare() {
  local url
  if [ "$1" = postgres ]; then
    schema="load_$$"
    psql "$SANDBANK_TEST_PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
    url="${SANDBANK_TEST_PG}?options=-csearch_path%3D${schema}"
  else
    url="sqlite://$work/sandbank.db"
  fi
  SANDBANK_LOG=warn "$bin" demo-data --users 1 --transactions-per-user "$TRANSACTIONS" --database-url "$url" >&2
  # Vacuumed and analysed now, so that autovacuum does not do it during the measurements.
  if [ "$1" = postgres ]; then
    psql "$SANDBANK_TEST_PG" -v ON_ERROR_STOP=1 -q -c "SET search_path = $schema" -c "VACUUM ANALYZE" >&2
  fi
  echo "$url"
}

# small_user: registers the ten-connection user; prints its token.
small_user() {
  local token id seed=0
  token=$(post /api/auth/register "" '{"email":"small@sandbank.test","password":"load-test-password"}' | field token)
  for round in 1 2; do
    for provider in $(curl -sf -H "Authorization: Bearer $token" "$base/api/financial/providers" | grep -o '"id":"[^"]*"' | cut -d'"' -f4); do
      seed=$((seed + 1))
      id=$(post /api/financial/connections "$token" "{\"providerId\":\"$provider\",\"seed\":$((seed * 1000 + round))}" | field connectionId)
      post "/api/financial/connections/$id/authorize" "$token" '{}' >/dev/null
    done
  done
  echo "$token"
}

# busiest_account TOKEN: the id of the user's account with the most transactions.
busiest_account() {
  local id total best="" most=-1
  for id in $(curl -sf -H "Authorization: Bearer $1" "$base/api/financial/accounts" | grep -o '"id":"[^"]*"' | cut -d'"' -f4); do
    total=$(curl -sf -H "Authorization: Bearer $1" "$base/api/financial/transactions?accountId=$id&limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
    if [ "${total:-0}" -gt "$most" ]; then most=$total; best=$id; fi
  done
  echo "$best"
}

for backend in $BACKENDS; do
  url=$(prepare "$backend")
  SANDBANK_LOG=warn SANDBANK_SECRET=load-test-secret-load-test-secret-0000 SANDBANK_LOGINS_PER_MINUTE=100000 \
    SANDBANK_CONNECTIONS_PER_MINUTE=1000 \
    SANDBANK_AUTH_PER_ADDRESS_PER_MINUTE=100000 "$bin" serve --addr "127.0.0.1:$PORT" --database-url "$url" --workers 0 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  small=$(small_user)
  demo=$(post /api/auth/login "" '{"email":"demo-1@sandbank.test","password":"sandbank-demo"}' | field token)
  account=$(busiest_account "$small")
  # The peak from here on: connecting ten banks (generation) and signing in (argon2, 19 MB a
  # hash) are not what is measured. What they freed stays in the allocator's heaps of the
  # blocking threads that ran them until those threads end, 10 s after their last task.
  setup_peak=$(memory VmHWM)
  sleep 11
  idle_rss=$(memory VmRSS)
  echo 5 > "/proc/$server/clear_refs"
  echo
  echo "$backend: wrk -t$THREADS, $DURATION each ($(nproc) cores shared with the server)"
  echo
  echo "| what | figure |"
  echo "|---|---|"
  load "page of 50 of one account (~1.8k rows)" 32 "$small" "/api/financial/transactions?accountId=$account&limit=50"
  load "accounts list (30 accounts)" 32 "$small" "/api/financial/accounts"
  load "page of 50 across 100k rows" 64 "$demo" "/api/financial/transactions?limit=50"
  load "GET /api/auth/me" 32 "$small" "/api/auth/me"
  load "/healthz" 32 "" "/healthz"
  echo "| server peak RSS under these loads (idle before them; while connecting the banks) | $(memory VmHWM) ($idle_rss; $setup_peak) |"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  [ -n "$schema" ] && psql "$SANDBANK_TEST_PG" -qc "DROP SCHEMA $schema CASCADE" >/dev/null; schema=""
done
