#!/usr/bin/env bash
# n8n's community-package scan, run the way n8n runs it before verifying a package:
# @n8n/scan-community-package's analyzePackage() over (1) the source folder with its
# SOURCE_FILE_PATTERNS and (2) the unpacked `npm pack` tarball with ['**/*.js', 'package.json'].
# Its CLI is not used (it downloads the published package and checks npm provenance).
#
# usage: bash scripts/scan.sh
# exit:  0 no findings, 1 findings, 2 the scan could not run
# env:   SCAN_REFRESH=1  reinstall the latest @n8n/scan-community-package into the cache
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
source scripts/install-deps.sh   # Node 24 on PATH, DOCFLOW_CACHE, dev dependencies (for the build)

# --- the scanner, installed once into a cache outside the repo ---------------------------
scanner_home="$DOCFLOW_CACHE/scan-community-package"
scanner_stamp="$scanner_home/.installed"
if [ "${SCAN_REFRESH:-}" = 1 ] || [ ! -f "$scanner_stamp" ]; then
  echo "[scan] installing @n8n/scan-community-package@latest into $scanner_home (--ignore-scripts)…" >&2
  mkdir -p "$DOCFLOW_CACHE"
  staging="$(mktemp -d "$DOCFLOW_CACHE/.scan-community-package.XXXXXX")"
  echo '{"private":true}' >"$staging/package.json"
  if ! npm install --prefix "$staging" --ignore-scripts --no-audit --no-fund --loglevel=error \
      @n8n/scan-community-package@latest >&2; then
    rm -rf "$staging"
    echo "[scan] ERROR: could not install @n8n/scan-community-package" >&2
    exit 2
  fi
  touch "$staging/.installed"
  # Swap in whole, so an interrupted install never leaves a half-filled cache behind.
  old="$scanner_home.old.$$"
  [ -e "$scanner_home" ] && mv "$scanner_home" "$old"
  mv "$staging" "$scanner_home"
  rm -rf "$old"
fi

# --- the tarball, as `npm publish` would ship it ------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/docflow-scan.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "[scan] build (npm run build)" >&2
npm run --silent build >&2 || { echo "[scan] ERROR: build failed" >&2; exit 2; }

echo "[scan] pack (npm pack)" >&2
npm pack --silent --pack-destination "$work" >/dev/null || { echo "[scan] ERROR: npm pack failed" >&2; exit 2; }
tarballs=("$work"/*.tgz)
[ -f "${tarballs[0]}" ] || { echo "[scan] ERROR: npm pack produced no tarball" >&2; exit 2; }
mkdir "$work/package"
tar -xzf "${tarballs[0]}" -C "$work/package" --strip-components=1
echo "[scan] tarball $(basename "${tarballs[0]}")" >&2

# --- scan both ----------------------------------------------------------------------------
# TMPDIR: scanner.mjs makes a temp dir when it is imported and never removes it; keep it in $work.
status=0
TMPDIR="$work" node scripts/scan-package.mjs --scanner "$scanner_home" \
  --source "$repo" --tarball "$work/package" || status=$?
exit "$status"
