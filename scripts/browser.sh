#!/usr/bin/env bash
# The editor check in a real browser: n8n 2.40.7 (`n8n start`) with the packed package as a
# community package, the DocFlow emulator behind the credential, and Debian's Chromium driven
# by playwright-core. It searches the nodes panel, adds the node, creates and tests the DocFlow
# API credential, opens File's operations and one operation of every other resource, resource
# locators' lists (Workspace, Category, Field, Rule Repository), adds the DocFlow Trigger and
# opens its panel, and writes screenshots of each to docs/screenshots/. Works on a fresh clone
# with only Node 20.
#
#   bash scripts/browser.sh                      # everything (exit status non-zero on failure)
#   bash scripts/browser.sh -t 'credential'      # extra arguments go to jest
#   DOCFLOW_BROWSER_KEEP=1 bash scripts/browser.sh   # keep n8n's folder and the browser profile
#   DOCFLOW_PACK_REF=HEAD bash scripts/browser.sh    # pack the last commit, not the work tree
#
# First run: Chromium and a CJK font from Debian (apt-get, as root), playwright-core and n8n into the cache
# (n8n: minutes, with progress). Later runs reuse all of it and take about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
say() { echo "[browser] $*" >&2; }

say "step 1/4: Node 24 and the dev dependencies"
source scripts/install-deps.sh

say "step 2/4: Chromium and playwright-core"
source scripts/browser-deps.sh

say "step 3/4: n8n 2.40.7 and the packed package"
bash scripts/n8n.sh install 2.40.7
# DOCFLOW_PACK_REF=<git ref> (e.g. HEAD) packs that commit instead of the work tree (scripts/n8n.sh
# pack reads it from the environment): a half-edited file in the work tree then never reaches n8n.
if [ -n "${DOCFLOW_PACK_REF:-}" ]; then
  export DOCFLOW_PACK_REF
  say "  packing $DOCFLOW_PACK_REF ($(git rev-parse --short "$DOCFLOW_PACK_REF^{commit}"))"
else
  say "  packing the work tree (DOCFLOW_PACK_REF=HEAD packs the last commit instead)"
fi
pack_dir="$(mktemp -d "${TMPDIR:-/tmp}/docflow-browser-pack.XXXXXX")"
trap 'rm -rf "$pack_dir"' EXIT
DOCFLOW_E2E_TGZ="$(bash scripts/n8n.sh pack "$pack_dir" | tail -n 1)"
export DOCFLOW_E2E_TGZ
say "  packed $(basename "$DOCFLOW_E2E_TGZ")"

say "step 4/4: the editor in Chromium (screenshots go to docs/screenshots/)"
mkdir -p .tmp
status=0
node node_modules/.bin/jest -c jest.browser.config.js --ci --json --outputFile=.tmp/browser-results.json "$@" || status=$?
# The plain closing line: counts from jest's own report.
node -e 'const r=require("./.tmp/browser-results.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' || true
say "done in $((SECONDS - started)) s (exit $status)"
exit $status
