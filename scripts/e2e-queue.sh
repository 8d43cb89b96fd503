#!/usr/bin/env bash
# Queue-mode end-to-end suite: the packed package in n8n 2.40.7 run the way teams scale it —
# a main instance taking webhooks, two workers running the executions, Redis carrying the
# queue, Postgres holding executions and binary data — against the DocFlow emulator.
#
#   bash scripts/e2e-queue.sh            # extra arguments go to jest (e.g. -t 'stop')
#   bash scripts/e2e-queue.sh --bench    # the queue benchmark instead (bench/queue.ts, `npm run bench -- --queue`)
#
# Installs redis-server and postgresql from Debian's packages when they are missing (needs
# root, as Postgres then runs as the `postgres` user). Starts its own Redis and Postgres
# cluster on free loopback ports in a temp folder; the jest suite starts and stops every
# process, and this script's exit trap stops whatever is left (a crashed or interrupted run)
# and removes the folder. DOCFLOW_E2E_KEEP=1 keeps the folder (logs, database) for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1 || [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "[e2e-queue] needs redis-server and postgresql (apt-get install -y redis-server postgresql, as root)" >&2
    exit 1
  fi
  echo "[e2e-queue] installing redis-server and postgresql from Debian's packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server postgresql >&2
fi
export DOCFLOW_QUEUE_PG_BIN="$(pg_bin)"

source scripts/install-deps.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/docflow-queue.XXXXXX")"
export DOCFLOW_QUEUE_WORK="$work"

# Stops what the suite registered in $work/pids ("<process group> <signal>" per process) and
# did not stop itself (a crashed or interrupted run): n8n first, then Redis and Postgres, each
# group with its own signal, SIGKILL after 30 s; then removes the work folder.
stop_groups() {
  local f pgid sig i left
  for f in "$@"; do
    [ -f "$f" ] || continue
    read -r pgid sig <"$f" || continue
    if kill -0 -- "-$pgid" 2>/dev/null; then
      echo "[e2e-queue] stopping leftover $(basename "$f") (process group $pgid, SIG$sig)" >&2
      kill -s "$sig" -- "-$pgid" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < 150; i++)); do
    left=0
    for f in "$@"; do
      [ -f "$f" ] && read -r pgid sig <"$f" && kill -0 -- "-$pgid" 2>/dev/null && left=1
    done
    [ $left = 0 ] && return 0
    sleep 0.2
  done
  for f in "$@"; do
    [ -f "$f" ] && read -r pgid sig <"$f" && kill -s KILL -- "-$pgid" 2>/dev/null || true
  done
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${jest_pid:-}" ] && kill -0 "$jest_pid" 2>/dev/null; then
    echo "[e2e-queue] interrupted: stopping jest" >&2
    kill -TERM "$jest_pid" 2>/dev/null || true
    wait "$jest_pid" 2>/dev/null || true
  fi
  shopt -s nullglob
  stop_groups "$work"/pids/n8n-*
  stop_groups "$work"/pids/*
  if [ -n "${DOCFLOW_E2E_KEEP:-}" ]; then
    echo "[e2e-queue] DOCFLOW_E2E_KEEP: kept $work" >&2
  else
    rm -rf "$work"
  fi
  echo "[e2e-queue] done in $((SECONDS - started)) s" >&2
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# in the background and waited for, so an interrupt (Ctrl-C, `timeout`) runs the trap at once
if [ "${1:-}" = "--bench" ]; then
  shift
  node --require ./bench/register-ts.cjs bench/queue.ts "$@" &
else
  node node_modules/.bin/jest -c test/e2e-queue/jest.config.js --ci "$@" &
fi
jest_pid=$!
wait "$jest_pid"
