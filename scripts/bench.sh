#!/usr/bin/env bash
# `npm run bench`: measures the node against a raw undici + form-data client; writes bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
node --expose-gc --require ./bench/register-ts.cjs bench/run.ts "$@"
