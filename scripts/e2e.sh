#!/usr/bin/env bash
# End-to-end tests: the packed package inside real n8n 2.40.7 and 1.123.81 (installed into
# the cache on first use: minutes, with progress; later runs reuse it), driven by n8n's own
# CLI and `n8n start` against the DocFlow emulator. Works on a fresh clone with only Node 20.
#
#   bash scripts/e2e.sh                                   # both n8n versions
#   DOCFLOW_E2E_N8N_VERSIONS=2.40.7 bash scripts/e2e.sh   # one version
#   bash scripts/e2e.sh -t 'Signature'                    # extra arguments go to jest
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
source scripts/install-deps.sh
node node_modules/.bin/jest -c jest.e2e.config.js --ci "$@"
echo "[e2e] done in $((SECONDS - started)) s" >&2
