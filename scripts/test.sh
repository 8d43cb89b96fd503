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
tmp="${TMPDIR:-/tmp}"
binary_before="$(ls -d "$tmp"/docflow-binary-* 2>/dev/null | sort || true)"
node node_modules/.bin/jest --ci --json --outputFile=.tmp/jest-results.json "$@" || status=$?
# The suites store n8n binary data in temp folders; each must be gone when they end.
left="$(comm -13 <(echo "$binary_before") <(ls -d "$tmp"/docflow-binary-* 2>/dev/null | sort || true))"
if [ -n "$left" ]; then echo "[test] the tests left binary data folders behind:"; echo "$left"; status=1; fi
# The plain closing line CI reads: counts from jest's own report.
node -e 'const r=require("./.tmp/jest-results.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' || true
exit $status
