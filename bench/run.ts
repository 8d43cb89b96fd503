/**
 * `npm run bench`: measures the node against a plain undici + form-data script on the same
 * machine, in the same run, and writes bench/RESULTS.md. Not a test: nothing here passes or
 * fails, it reports.
 *
 *   (a) uploads, 20 × 1 MiB and 1 × 100 MiB: wall time of the node (in n8n's engine,
 *       filesystem binary mode) vs the raw script, and peak RSS growth over the file size;
 *       each case in a fresh child process, the emulator in another one.
 *   (b) file/fetch requests needed to wait for a batch of 1, 20 and 200 files.
 *   (c) 200 uploads against 100 ms server latency: sequential vs Batching (4 items at once).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const ROOT = join(__dirname, '..');
const MiB = 1024 * 1024;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const CREDENTIAL = { appId: 'demo-app-id', secretCode: 'demo-secret-code', workspaceId: '1234567890' };

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** A PDF-looking file of the given size, random bytes so nothing compresses it away. */
function makeFile(dir: string, name: string, bytes: number): string {
	const path = join(dir, name);
	const head = Buffer.from('%PDF-1.7\n');
	const body = randomFillSync(Buffer.alloc(bytes - head.length));
	writeFileSync(path, Buffer.concat([head, body]));
	return path;
}

// ---------- child-process side: one measured case ----------

interface CaseResult {
	wallMs: number;
	rssGrowthBytes: number;
}

async function measureNode(url: string, files: string[]): Promise<CaseResult> {
	const { runDocflow } = await import('../test/harness/engine.ts');
	const items = files.map((path, i) => ({
		binary: { data: { data: { path }, fileName: `doc-${i}.pdf`, mimeType: 'application/pdf' } },
	}));
	// Warm-up: the first request of a process pays for module loading and the connection.
	const warm = await runDocflow({
		parameters: { resource: 'file', operation: 'upload', workspace: { __rl: true, mode: 'id', value: CREDENTIAL.workspaceId } },
		credentials: { ...CREDENTIAL, region: 'private', baseUrl: url, authentication: 'simple' },
		items: [{ binary: { data: { data: Buffer.from('%PDF-1.4 warm-up'), fileName: 'warm.pdf', mimeType: 'application/pdf' } } }],
		binaryMode: 'filesystem',
	});
	if (warm.error) throw new Error(`warm-up failed: ${warm.error.message}`);
	let started = 0;
	let wallMs = 0;
	let rssBefore = 0;
	let peak = 0;
	let sampler: NodeJS.Timeout | undefined;
	const result = await runDocflow({
		parameters: { resource: 'file', operation: 'upload', workspace: { __rl: true, mode: 'id', value: CREDENTIAL.workspaceId } },
		credentials: { ...CREDENTIAL, region: 'private', baseUrl: url, authentication: 'simple' },
		items,
		binaryMode: 'filesystem',
		around: {
			before: () => {
				global.gc?.();
				rssBefore = process.memoryUsage().rss;
				peak = rssBefore;
				sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
				started = performance.now();
			},
			after: () => {
				wallMs = performance.now() - started;
				clearInterval(sampler);
				peak = Math.max(peak, process.memoryUsage().rss);
			},
		},
	});
	if (result.error || result.items.length !== files.length) throw new Error(`node upload failed: ${result.error?.message}`);
	return { wallMs, rssGrowthBytes: peak - rssBefore };
}

async function measureRaw(url: string, files: string[]): Promise<CaseResult> {
	const { rawUpload } = await import('./raw-client.ts');
	const warmFile = join(mkdtempSync(join(tmpdir(), 'docflow-warm-')), 'warm.pdf');
	writeFileSync(warmFile, '%PDF-1.4 warm-up');
	await rawUpload({ url, ...CREDENTIAL }, warmFile, `${Date.now()}000000`);
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
	const started = performance.now();
	const batch = `${Date.now()}000001`;
	for (const path of files) await rawUpload({ url, ...CREDENTIAL }, path, batch);
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	return { wallMs, rssGrowthBytes: Math.max(peak, process.memoryUsage().rss) - rssBefore };
}

// ---------- parent side ----------

async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
	const child = spawn(process.execPath, [join(ROOT, 'test/emulator/cli.ts'), '--port', '0', '--step-ms', '100000'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (match) resolve(match[1]);
		});
		child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
	});
	return { url, child };
}

function runCase(kind: 'node' | 'raw', url: string, files: string[]): CaseResult {
	const out = execFileSync(
		process.execPath,
		['--expose-gc', '--require', join(__dirname, 'register-ts.cjs'), __filename, 'case', kind, url, ...files],
		{ encoding: 'utf8', maxBuffer: 16 * MiB, env: process.env },
	);
	return JSON.parse(out.trim().split('\n').at(-1)!) as CaseResult;
}

async function uploadComparison(url: string, dir: string) {
	const cases = [
		{ name: '20 × 1 MiB', files: Array.from({ length: 20 }, (_, i) => makeFile(dir, `one-${i}.pdf`, MiB)), size: 20 * MiB, largest: MiB },
		{ name: '1 × 100 MiB', files: [makeFile(dir, 'big.pdf', 100 * MiB)], size: 100 * MiB, largest: 100 * MiB },
	];
	const rows = [];
	for (const c of cases) {
		const node: CaseResult[] = [];
		const raw: CaseResult[] = [];
		// Alternate, so drift on the machine hits both sides alike.
		for (let i = 0; i < REPEAT; i++) {
			raw.push(runCase('raw', url, c.files));
			node.push(runCase('node', url, c.files));
		}
		rows.push({
			name: c.name,
			nodeMs: median(node.map((r) => r.wallMs)),
			rawMs: median(raw.map((r) => r.wallMs)),
			nodeRss: median(node.map((r) => r.rssGrowthBytes)),
			rawRss: median(raw.map((r) => r.rssGrowthBytes)),
			largest: c.largest,
		});
	}
	return rows;
}

async function inProcess() {
	const { startDocflowEmulator } = await import('../test/emulator/index.ts');
	const { runDocflow } = await import('../test/harness/engine.ts');
	const emulator = await startDocflowEmulator({ stepMs: 100_000 });
	const credentials = { ...CREDENTIAL, region: 'private', baseUrl: emulator.url, authentication: 'simple' };
	const workspace = { __rl: true, mode: 'id', value: CREDENTIAL.workspaceId };
	const doc = (i: number) => ({ binary: { data: { data: Buffer.from(`%PDF-1.4 ${i}`), fileName: `d${i}.pdf`, mimeType: 'application/pdf' } } });

	// (b) polling: each poll moves DocFlow one step, so the count is the machine-independent cost.
	const polls: Array<{ files: number; fetches: number; uploads: number }> = [];
	for (const files of [1, 20, 200]) {
		emulator.reset();
		emulator.setStepMs(100_000);
		emulator.setAdvancePerFetch(100_000);
		const result = await runDocflow({
			typeVersion: 1.1,
			parameters: { resource: 'file', operation: 'upload', workspace, options: { pollIntervalSeconds: 0.01 } },
			credentials,
			items: Array.from({ length: files }, (_, i) => doc(i)),
		});
		if (result.error || result.items.length !== files) throw new Error(`wait run failed: ${result.error?.message}`);
		polls.push({
			files,
			fetches: emulator.requests.filter((r) => r.path.endsWith('/file/fetch')).length,
			uploads: emulator.requests.filter((r) => r.path.endsWith('/file/upload')).length,
		});
	}

	// (c) 200 items, 100 ms latency per answer: sequential vs 4 at once.
	emulator.reset();
	emulator.setLatency(100);
	const timings: Record<string, number> = {};
	for (const [label, batching] of [
		['sequential', undefined],
		['Batching, 4 items per batch', { batch: { itemsPerBatch: 4 } }],
	] as const) {
		const started = performance.now();
		const result = await runDocflow({
			parameters: { resource: 'file', operation: 'upload', workspace, options: batching ? { batching } : {} },
			credentials,
			items: Array.from({ length: 200 }, (_, i) => doc(i)),
		});
		if (result.error || result.items.length !== 200) throw new Error(`latency run failed: ${result.error?.message}`);
		timings[label] = performance.now() - started;
	}
	await emulator.close();
	return { polls, timings };
}

function machineLine(): string {
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const kernel = execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim();
	return `${kernel}, ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}`;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main() {
	if (process.argv[2] === 'case') {
		const [, , , kind, url, ...files] = process.argv;
		const result = kind === 'node' ? await measureNode(url, files) : await measureRaw(url, files);
		process.stdout.write(`${JSON.stringify(result)}\n`);
		process.exit(0);
	}
	const dir = mkdtempSync(join(tmpdir(), 'docflow-bench-'));
	const { url, child } = await startEmulatorProcess();
	let uploads;
	try {
		process.stderr.write('[bench] (a) uploads vs raw undici + form-data…\n');
		uploads = await uploadComparison(url, dir);
	} finally {
		child.kill('SIGTERM');
	}
	process.stderr.write('[bench] (b) polling and (c) latency…\n');
	const { polls, timings } = await inProcess();
	const speedup = timings.sequential / timings['Batching, 4 items per batch'];

	const lines = [
		'# Benchmark results',
		'',
		`Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (bench/run.ts) on: ${machineLine()}.`,
		'',
		'Every figure is a median of repeated runs or a count, and every comparison is a ratio',
		'against a baseline measured in the same run of the script. Absolute times depend on the',
		'machine; the ratios are the result.',
		'',
		'## (a) Upload through the node vs a plain undici + form-data script',
		'',
		`The node runs in n8n-core's real engine (WorkflowExecute, filesystem binary mode as n8n 2.x uses by default); the baseline streams the same file from disk with form-data and undici. Each side runs ${REPEAT} times, alternating, each in a fresh process; the emulator runs in a process of its own. Both sides first make one small warm-up upload in their process (module loading, first connection), then the measured uploads. Wall time covers the DocFlow node's execution only (not the source node that stores the files). Peak RSS growth is sampled every millisecond during the upload.`,
		'',
		'| Case | Node (median) | Raw (median) | Wall ratio node/raw (target ≤ 1.10) | Node peak RSS growth / largest file (target ≤ 1.5) | Raw peak RSS growth / largest file |',
		'|---|---|---|---|---|---|',
		...uploads.map(
			(u) =>
				`| ${u.name} | ${u.nodeMs.toFixed(0)} ms | ${u.rawMs.toFixed(0)} ms | ${ratio(u.nodeMs, u.rawMs)} | ${mib(u.nodeRss)} / ${mib(u.largest)} = ${ratio(u.nodeRss, u.largest)} | ${mib(u.rawRss)} / ${mib(u.largest)} = ${ratio(u.rawRss, u.largest)} |`,
		),
		'',
		'## (b) Requests needed to wait for a batch',
		'',
		'Upload with Wait for Completion; the emulator moves each file one processing step per poll, so every batch needs the same number of rounds whatever the machine.',
		'',
		'| Files in the batch | upload requests | file/fetch requests while waiting |',
		'|---|---|---|',
		...polls.map((p) => `| ${p.files} | ${p.uploads} | ${p.fetches} |`),
		'',
		`Polling requests do not grow with the file count (target met: ${new Set(polls.map((p) => p.fetches)).size === 1 ? 'yes' : 'no'}).`,
		'',
		'## (c) 200 items against 100 ms server latency',
		'',
		'| Mode | Wall time | Speed-up vs sequential (target ≥ 3 for 4 at once) |',
		'|---|---|---|',
		...Object.entries(timings).map(([label, ms]) => `| ${label} | ${(ms / 1000).toFixed(1)} s | ${ratio(timings.sequential, ms)} |`),
		'',
		`Speed-up: ${speedup.toFixed(2)}.`,
		'',
	];
	writeFileSync(join(__dirname, 'RESULTS.md'), lines.join('\n'));
	process.stdout.write(readFileSync(join(__dirname, 'RESULTS.md'), 'utf8'));
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
