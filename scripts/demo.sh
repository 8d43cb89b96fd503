#!/usr/bin/env bash
# The main job, end to end: a real n8n with this package installed as a community package
# runs examples/folder-to-json.json on the sample documents and prints what DocFlow
# extracted. Works on a fresh clone with only the system Node 20.
#
#   bash scripts/demo.sh            # run the workflow once, print the results
#   bash scripts/demo.sh --serve    # then keep n8n running: editor URL, owner login, credential ready
#
# Options: --port N (editor port for --serve, default 5678 or a free one), --n8n VERSION
# (default 2.40.7; 1.123.81 works too), --fresh (forget the demo's n8n data first).
#
# Against the real DocFlow instead of the local emulator: set DOCFLOW_APP_ID,
# DOCFLOW_SECRET_CODE and DOCFLOW_WORKSPACE_ID (optional: DOCFLOW_REGION=global|china,
# DOCFLOW_ENTERPRISE_ID). DOCFLOW_DEMO_INPUT=<folder> processes your own documents.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
T0=$SECONDS

SERVE=false
PORT=""
VERSION=""
FRESH=false
while [ $# -gt 0 ]; do
  case "$1" in
    --serve) SERVE=true ;;
    --port) PORT="$2"; shift ;;
    --port=*) PORT="${1#--port=}" ;;
    --n8n) VERSION="$2"; shift ;;
    --n8n=*) VERSION="${1#--n8n=}" ;;
    --fresh) FRESH=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see bash scripts/demo.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

STEPS=6
step() { echo "[demo] ($1/$STEPS) $2" >&2; }
say() { echo "[demo] $*" >&2; }

# --- which DocFlow -----------------------------------------------------------------------
REAL=false
if [ -n "${DOCFLOW_APP_ID:-}${DOCFLOW_SECRET_CODE:-}${DOCFLOW_WORKSPACE_ID:-}" ]; then
  missing=()
  [ -n "${DOCFLOW_APP_ID:-}" ] || missing+=(DOCFLOW_APP_ID)
  [ -n "${DOCFLOW_SECRET_CODE:-}" ] || missing+=(DOCFLOW_SECRET_CODE)
  [ -n "${DOCFLOW_WORKSPACE_ID:-}" ] || missing+=(DOCFLOW_WORKSPACE_ID)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[demo] for the real DocFlow, also set: ${missing[*]} (or unset all DOCFLOW_* to use the emulator)" >&2
    exit 2
  fi
  case "${DOCFLOW_REGION:-global}" in
    global|china) ;;
    *) echo "[demo] DOCFLOW_REGION must be global or china, not ${DOCFLOW_REGION}" >&2; exit 2 ;;
  esac
  REAL=true
fi

# --- 1. Node 24 and the dev dependencies ---------------------------------------------------
step 1 "Node 24 and the project's dev dependencies"
# shellcheck source=scripts/install-deps.sh
source scripts/install-deps.sh
# shellcheck source=scripts/n8n.sh
source scripts/n8n.sh
VERSION="${VERSION:-$N8N_DEFAULT_VERSION}"
say "  node $(node -v) from $(dirname "$(command -v node)")"

DEMO_DIR="$DOCFLOW_CACHE/demo/n8n-$VERSION"
INPUT_DIR="${DOCFLOW_DEMO_INPUT:-$ROOT/test/fixtures}"
INPUT_DIR="$(cd "$INPUT_DIR" && pwd)"
RESULTS_DIR="$DOCFLOW_CACHE/demo/results"
if $FRESH; then
  say "  --fresh: removing the demo's n8n data ($DEMO_DIR)"
  rm -rf "$DEMO_DIR"
fi
mkdir -p "$DEMO_DIR" "$RESULTS_DIR"
rm -f "$RESULTS_DIR"/*.json
# n8n encrypts the stored credential (maybe a real DocFlow secret) with this folder's own key
if [ ! -s "$DEMO_DIR/.encryption-key" ]; then
  # n8n data made with another key cannot be read with this one: start that folder over
  rm -rf "$DEMO_DIR/.n8n" "$DEMO_DIR/owner-login.txt"
  (umask 077; node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))' >"$DEMO_DIR/.encryption-key")
fi
N8N_ENCRYPTION_KEY="$(cat "$DEMO_DIR/.encryption-key")"
export N8N_ENCRYPTION_KEY

if [ -f "$DEMO_DIR/n8n.pid" ] && kill -0 "$(cat "$DEMO_DIR/n8n.pid")" 2>/dev/null; then
  say "an earlier 'demo.sh --serve' is still running (pid $(cat "$DEMO_DIR/n8n.pid")); stop it first (Ctrl-C in its terminal)"
  exit 1
fi

# background processes of this script, stopped on exit (by their pid / process group)
EMULATOR_PID=""
N8N_PID=""
cleanup() {
  if [ -n "$N8N_PID" ]; then kill -TERM -- "-$N8N_PID" 2>/dev/null || kill "$N8N_PID" 2>/dev/null || true; fi
  if [ -n "$EMULATOR_PID" ]; then kill "$EMULATOR_PID" 2>/dev/null || true; fi
  rm -f "$DEMO_DIR/n8n.pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 2. build and pack ---------------------------------------------------------------------
step 2 "build and pack the package (npm run build, npm pack)"
TGZ="$(n8n_pack "$DOCFLOW_CACHE/demo/package")"
say "  $(basename "$TGZ")"

# --- 3. n8n ------------------------------------------------------------------------------
step 3 "n8n $VERSION"
n8n_install "$VERSION"

# --- 4. DocFlow ------------------------------------------------------------------------------
if $REAL; then
  step 4 "DocFlow: the real one (${DOCFLOW_REGION:-global}), workspace $DOCFLOW_WORKSPACE_ID"
  WORKSPACE="$DOCFLOW_WORKSPACE_ID"
  CREDENTIAL_DATA="$(node -e '
    const e = process.env;
    console.log(JSON.stringify({ appId: e.DOCFLOW_APP_ID, secretCode: e.DOCFLOW_SECRET_CODE,
      region: e.DOCFLOW_REGION || "global", baseUrl: "", enterpriseId: e.DOCFLOW_ENTERPRISE_ID || "",
      authentication: "simple" }))')"
else
  step 4 "DocFlow: the local emulator (test/emulator; no account needed)"
  EMULATOR_PORT="$(n8n_free_port)"
  node test/emulator/cli.ts --port "$EMULATOR_PORT" --step-ms 300 >"$DEMO_DIR/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$DEMO_DIR/emulator.log" 2>/dev/null && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$DEMO_DIR/emulator.log" >&2; exit 1; }
    sleep 0.1
  done
  EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT"
  say "  $EMULATOR_URL  (App ID demo-app-id, workspace 1234567890 “Invoices”)"
  WORKSPACE="1234567890"
  CREDENTIAL_DATA="{\"appId\":\"demo-app-id\",\"secretCode\":\"demo-secret-code\",\"region\":\"private\",\"baseUrl\":\"$EMULATOR_URL\",\"enterpriseId\":\"1001\",\"authentication\":\"simple\"}"
fi

# --- 5. n8n user folder: package, credential, workflows ------------------------------------
step 5 "n8n user folder $DEMO_DIR: community package, DocFlow credential, example workflows"
export N8N_RESTRICT_FILE_ACCESS_TO="$INPUT_DIR;$RESULTS_DIR"
n8n_setup "$VERSION" "$DEMO_DIR" "$TGZ"
IMPORT_DIR="$DEMO_DIR/import"
rm -rf "$IMPORT_DIR"; mkdir -p "$IMPORT_DIR/workflows"
echo "[{\"id\":\"docflowDemoCred01\",\"name\":\"DocFlow account\",\"type\":\"docFlowApi\",\"data\":$CREDENTIAL_DATA}]" \
  >"$IMPORT_DIR/credentials.json"
# The examples as shipped, with the demo's folders and workspace filled in.
node - "$ROOT/examples" "$IMPORT_DIR/workflows" "$INPUT_DIR" "$RESULTS_DIR" "$WORKSPACE" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const [examples, out, input, results, workspace] = process.argv.slice(2);
for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.json'))) {
  const wf = JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8'));
  for (const node of wf.nodes) {
    if (node.type === 'n8n-nodes-docflow.docFlow') node.parameters.workspace = { __rl: true, mode: 'id', value: workspace };
    if (node.name === 'Settings' && node.parameters.assignments) {
      for (const a of node.parameters.assignments.assignments) {
        if (a.name === 'inputFolder') a.value = input;
        if (a.name === 'outputFolder') a.value = results;
      }
    }
  }
  fs.writeFileSync(path.join(out, file), JSON.stringify(wf, null, 2));
}
NODE
n8n_import_credentials "$VERSION" "$DEMO_DIR" "$IMPORT_DIR/credentials.json" >/dev/null
n8n_import_workflows "$VERSION" "$DEMO_DIR" "$IMPORT_DIR/workflows" >/dev/null
rm -f "$IMPORT_DIR/credentials.json"   # it holds the secret in clear; n8n keeps it encrypted
say "  imported: credential “DocFlow account”, workflows of examples/ (folder-to-json with the demo's folders)"

# --- 6. run ------------------------------------------------------------------------------
count="$(find "$INPUT_DIR" -maxdepth 1 -type f | wc -l)"
step 6 "n8n execute: “DocFlow: folder of documents → extracted JSON files” on $count file(s) in $INPUT_DIR"
RUN_JSON="$DEMO_DIR/last-run.json"
RUN_START=$SECONDS
if ! N8N_LOG_LEVEL=warn n8n_execute "$VERSION" "$DEMO_DIR" docflowExFolder01 "$RUN_JSON" 2>"$DEMO_DIR/execute.log"; then
  say "the workflow failed; n8n said:"
  grep -v '^\s*$' "$DEMO_DIR/execute.log" | tail -n 30 >&2
  exit 1
fi
say "  done in $((SECONDS - RUN_START)) s"

EXTRACTED=true
node - "$RUN_JSON" "$RESULTS_DIR" <<'NODE' || EXTRACTED=false
const fs = require('node:fs');
const [runFile, resultsDir] = process.argv.slice(2);
const run = JSON.parse(fs.readFileSync(runFile, 'utf8'));
const items = run.data.resultData.runData['DocFlow']?.[0]?.data?.main?.[0] ?? [];
const read = run.data.resultData.runData['Read documents']?.[0]?.data?.main?.[0] ?? [];
const line = '─'.repeat(72);
console.log(`\n${line}\nDocFlow results: ${items.length} document(s)\n${line}`);
for (const { json, pairedItem } of items) {
  const source = read[(Array.isArray(pairedItem) ? pairedItem[0] : pairedItem)?.item ?? -1]?.binary?.data?.fileName;
  const name = json.file_name || source || '(unknown file)';
  if (json.error) {
    console.log(`\n✗ ${name}\n    error: ${json.error}${json.description ? `\n    ${json.description}` : ''}`);
    continue;
  }
  console.log(`\n✓ ${name}   category: ${json.category || '–'}   status: ${json.status}   task: ${json.task_id}`);
  const fields = Object.entries(json.fields || {});
  const width = Math.min(28, Math.max(0, ...fields.map(([k]) => k.length)));
  for (const [key, value] of fields) console.log(`    ${key.padEnd(width)}  ${value === '' ? '–' : value}`);
  for (const [table, rows] of Object.entries(json.tables || {})) {
    console.log(`    [${table}] ${rows.length} row(s)`);
    for (const row of rows.slice(0, 3)) console.log(`      · ${Object.values(row).join(' | ')}`);
  }
  if (json.parent_task_id) console.log(`    (part of ${json.parent_task_id})`);
}
const written = fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
console.log(`\n${line}\nJSON files written by the workflow to ${resultsDir}:\n${written.map((f) => `  ${f}`).join('\n') || '  (none)'}\n${line}`);
const failed = items.filter((i) => i.json.error).length;
if (items.length === 0 || failed === items.length) {
  console.error(`[demo] no document was extracted (${failed} of ${items.length} failed): see the errors above`);
  process.exit(3);
}
NODE
say "finished in $((SECONDS - T0)) s (the n8n run itself: $((SECONDS - RUN_START)) s)"

if ! $SERVE; then
  say "To open this n8n in the browser with the workflow and the DocFlow credential ready:"
  say "  bash scripts/demo.sh --serve"
  $EXTRACTED || exit 1
  exit 0
fi

# --- serve -----------------------------------------------------------------------------
if [ -z "$PORT" ]; then
  PORT=5678
  node -e 'const s=require("node:net").createServer().once("error",()=>process.exit(1)).listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$PORT" \
    || PORT="$(n8n_free_port)"
fi
say "starting n8n $VERSION on http://localhost:$PORT …"
set -m
n8n_start "$VERSION" "$DEMO_DIR" "$PORT" >"$DEMO_DIR/n8n.log" 2>&1 &
N8N_PID=$!
set +m
echo "$N8N_PID" >"$DEMO_DIR/n8n.pid"
if ! n8n_wait_healthy "$PORT" 180; then tail -n 40 "$DEMO_DIR/n8n.log" >&2; exit 1; fi

LOGIN_FILE="$DEMO_DIR/owner-login.txt"
if [ ! -f "$LOGIN_FILE" ]; then
  password="Demo-$(node -e 'console.log(require("node:crypto").randomBytes(6).toString("hex"))')"
  if n8n_owner_setup "$PORT" "demo@example.com" "$password" >/dev/null; then
    printf 'email: demo@example.com\npassword: %s\n' "$password" >"$LOGIN_FILE"
    chmod 600 "$LOGIN_FILE"
  else
    say "this n8n already has an owner whose login was not saved here; run with --fresh to start over"
  fi
fi
cat <<EOF

  n8n $VERSION is running with n8n-nodes-docflow installed.

    Editor:    http://localhost:$PORT
    Workflow:  http://localhost:$PORT/workflow/docflowExFolder01
    Login:     $(tr '\n' ' ' <"$LOGIN_FILE" 2>/dev/null || echo "(see above)")
    DocFlow:   credential “DocFlow account” is ready ($(if $REAL; then echo "real DocFlow, ${DOCFLOW_REGION:-global}"; else echo "local emulator at $EMULATOR_URL"; fi))
    Examples:  the three workflows of examples/ are imported; open the one above and click “Execute workflow”.

  Logs: $DEMO_DIR/n8n.log. Stop with Ctrl-C.

EOF
# Ctrl-C is the way to stop it: a clean exit, n8n and the emulator stopped by the EXIT trap
trap 'echo; say "stopping n8n${EMULATOR_PID:+ and the emulator}"; exit 0' INT TERM
wait "$N8N_PID" || true
