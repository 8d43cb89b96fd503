#!/usr/bin/env bash
# The test command: build, type-check, n8n's community lint, then every jest suite.
# Works on a fresh clone with only the system Node 20: Node 24 comes from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh

echo "[test] build"; npm run --silent build >/dev/null
echo "[test] typecheck"; node node_modules/.bin/tsc -p tsconfig.json --noEmit
echo "[test] lint (n8n community rules, strict)"; node node_modules/.bin/eslint nodes credentials package.json
echo "[test] jest"
mkdir -p .tmp
status=0
node node_modules/.bin/jest --ci --json --outputFile=.tmp/jest-results.json "$@" || status=$?
# The plain closing line CI reads: counts from jest's own report.
node -e 'const r=require("./.tmp/jest-results.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' || true
exit $status
