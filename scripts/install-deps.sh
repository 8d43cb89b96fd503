# Sourced by the entry scripts: Node 24 first on PATH, then the project's dev dependencies.
# Install scripts are skipped (one of n8n's lint plugins refuses to install under npm, and
# some optional native modules try to download binaries from outside the registry); the one
# native module the tests need, isolated-vm (n8n's expression sandbox), is rebuilt after.
source "$(dirname "${BASH_SOURCE[0]}")/node24.sh"
stamp=node_modules/.docflow-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[setup] installing dev dependencies (about a minute the first time)…" >&2
  # `npm install`, not `npm ci`: the lock leaves out optional platform bindings that this
  # registry does not serve, which `npm ci` counts as out of sync; install keeps the locked versions.
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  npm rebuild isolated-vm --ignore-scripts=false --loglevel=error >&2
  touch "$stamp"
fi
