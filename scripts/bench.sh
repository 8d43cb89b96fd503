#!/usr/bin/env bash
# `npm run bench`: measures the node against a raw undici + form-data client and in n8n's binary
# data modes; writes bench/RESULTS.md (bench/run.ts).
#
#   npm run bench                 # uploads, memory, polling, Batching, combined uploads, description size
#   npm run bench -- --queue      # queue mode: 500 webhook uploads through n8n main + 2 workers
#                                 # (bench/queue.ts via scripts/e2e-queue.sh: Redis and Postgres, as root)
#   npm run bench -- --editor     # the editor's time to open the node's panel, now and before the whole API
#                                 # (bench/editor.ts: n8n 2.40.7 and Debian's Chromium, as scripts/browser.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--queue" ]; then
  shift
  exec bash scripts/e2e-queue.sh --bench "$@"
fi
source scripts/install-deps.sh
if [ "${1:-}" = "--editor" ]; then
  shift
  say() { echo "[editor-bench] $*" >&2; }
  source scripts/browser-deps.sh
  bash scripts/n8n.sh install 2.40.7 >&2
  exec node --require ./bench/register-ts.cjs bench/editor.ts "$@"
fi
# The database-mode case runs n8n's own DatabaseManager (package n8n): from the cached n8n 2.40.7.
bash scripts/n8n.sh install 2.40.7 >&2
node --expose-gc --require ./bench/register-ts.cjs bench/run.ts "$@"
