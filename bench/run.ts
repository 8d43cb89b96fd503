/**
 * `npm run bench`: measures the node against a plain undici + form-data script on the same
 * machine, in the same run, and writes bench/RESULTS.md. Not a test: nothing here passes or
 * fails, it reports (and says for each target whether this run met it).
 *
 *   (a) uploads, 20 × 1 MiB (one request per file, and combined) and 1 × 100 MiB: wall time of
 *       the node (in n8n's engine, filesystem binary mode) vs the raw script, and peak RSS
 *       growth over the file size; each case in a fresh child process, the emulator in another.
 *   (b) file/fetch requests needed to wait for a batch of 1, 20 and 200 files.
 *   (c) 200 uploads against 100 ms server latency: sequential vs Batching (4 items at once).
 *   (d) 200 single-file items against 100 ms latency: combined uploads vs one request per item.
 *   (e) 1 × 100 MiB with binary data in database mode (queue mode's) and in memory: what the node
 *       adds on top of what n8n itself holds to read the file.
 *   (f) the node description's size.
 *   (g) queue mode (n8n main + 2 workers): written by `npm run bench -- --queue` (bench/queue.ts)
 *       into its own section, which this script keeps as it finds it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';

import { BEFORE_WHOLE_API_REF, EDITOR_SECTION, QUEUE_SECTION, RESULTS_PATH, keptSection } from './resultsFile.ts';

process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const ROOT = join(__dirname, '..');
const MiB = 1024 * 1024;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const CREDENTIAL = { appId: 'demo-app-id', secretCode: 'demo-secret-code', workspaceId: '1234567890' };
const WORKSPACE = { __rl: true, mode: 'id', value: CREDENTIAL.workspaceId };
/** The n8n whose DatabaseManager the database-mode case runs (installed by scripts/bench.sh). */
const N8N_FOR_DATABASE_MODE = '2.40.7';

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

type BinaryMode = 'default' | 'filesystem' | 'database';

/**
 * n8n's binary data in the database, as queue mode keeps it, without n8n's database: n8n
 * 2.40.7's own DatabaseManager (the n8n package; n8n-core has no database manager) over a table
 * in this process's memory. A read hands back a fresh Buffer of the row's bytes, as the Postgres
 * driver does for a `bytea` column.
 */
class InMemoryBinaryTable {
	private readonly rows = new Map<string, Record<string, unknown> & { data: Buffer }>();

	async insert(row: Record<string, unknown> & { fileId: string; data: Buffer }): Promise<void> {
		this.rows.set(row.fileId, { ...row });
	}

	async findOneOrFail({ where, select }: { where: { fileId: string }; select: string[] }): Promise<Record<string, unknown>> {
		const row = this.rows.get(where.fileId);
		if (!row) throw new Error(`no binary_data row ${where.fileId}`);
		return Object.fromEntries(select.map((key) => [key, key === 'data' ? Buffer.from(row.data) : row[key]]));
	}

	async delete(): Promise<void> {}

	async update(where: { fileId: string }, values: { fileId: string }): Promise<{ affected: number }> {
		const row = this.rows.get(where.fileId);
		if (!row) return { affected: 0 };
		this.rows.delete(where.fileId);
		this.rows.set(values.fileId, { ...row, fileId: values.fileId });
		return { affected: 1 };
	}

	async copyStoredFile(sourceFileId: string, targetFileId: string, sourceType: string, sourceId: string): Promise<boolean> {
		const row = this.rows.get(sourceFileId);
		if (!row) return false;
		this.rows.set(targetFileId, { ...row, fileId: targetFileId, sourceType, sourceId });
		return true;
	}
}

async function useBinaryMode(mode: BinaryMode): Promise<void> {
	if (mode !== 'database') return;
	const { setDatabaseBinaryManager } = await import('../test/harness/engine.ts');
	const { n8nHome } = await import('../test/e2e/n8n.ts');
	const path = join(n8nHome(N8N_FOR_DATABASE_MODE), 'node_modules/n8n/dist/binary-data/database.manager.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { DatabaseManager } = require(path) as { DatabaseManager: new (repository: unknown, config: unknown) => unknown };
	setDatabaseBinaryManager(new DatabaseManager(new InMemoryBinaryTable(), { dbMaxFileSize: 512 }));
}

function credentialsFor(url: string) {
	return { ...CREDENTIAL, region: 'private', baseUrl: url, authentication: 'simple' };
}

/** Peak RSS growth over a piece of work, sampled every millisecond from a baseline after a full collection. */
function rssWatch() {
	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
	const timer = setInterval(sample, 1);
	return {
		sample,
		stop: () => {
			clearInterval(timer);
			sample();
			return peak - before;
		},
	};
}

async function measureNode(url: string, typeVersion: number, mode: BinaryMode, files: string[]): Promise<CaseResult> {
	await useBinaryMode(mode);
	const { runDocflow } = await import('../test/harness/engine.ts');
	const items = files.map((path, i) => ({
		binary: { data: { data: { path }, fileName: `doc-${i}.pdf`, mimeType: 'application/pdf' } },
	}));
	const parameters = { resource: 'file', operation: 'upload', workspace: WORKSPACE, waitForCompletion: false };
	// Warm-up: the first request of a process pays for module loading and the connection.
	const warm = await runDocflow({
		parameters,
		typeVersion,
		credentials: credentialsFor(url),
		items: [{ binary: { data: { data: Buffer.from('%PDF-1.4 warm-up'), fileName: 'warm.pdf', mimeType: 'application/pdf' } } }],
		binaryMode: mode,
	});
	if (warm.error) throw new Error(`warm-up failed: ${warm.error.message}`);
	let started = 0;
	let wallMs = 0;
	let rssGrowthBytes = 0;
	let watch: ReturnType<typeof rssWatch> | undefined;
	const result = await runDocflow({
		parameters,
		typeVersion,
		credentials: credentialsFor(url),
		items,
		binaryMode: mode,
		around: {
			before: () => {
				watch = rssWatch();
				started = performance.now();
			},
			after: () => {
				wallMs = performance.now() - started;
				rssGrowthBytes = watch!.stop();
			},
		},
	});
	if (result.error || result.items.length !== files.length) throw new Error(`node upload failed: ${result.error?.message}`);
	return { wallMs, rssGrowthBytes };
}

/**
 * What n8n itself holds to hand a stored file to any node, measured at the very point the node
 * would start: the same warm-up and the same run as measureNode, the file stored by the source
 * node, and when the DocFlow node is about to run, the file read whole through n8n's binary
 * data service the way the node reads it (a stream in database mode, the buffer in memory
 * mode). Only that read is measured; the node then runs unmeasured.
 */
async function measureN8nRead(url: string, mode: BinaryMode, file: string): Promise<CaseResult> {
	await useBinaryMode(mode);
	const { runDocflow } = await import('../test/harness/engine.ts');
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const service = Container.get(BinaryDataService);
	// Notes what n8n stored (nothing else changes): the file to read back.
	let stored: Awaited<ReturnType<typeof service.store>> | undefined;
	const store = service.store.bind(service);
	service.store = async (...args: Parameters<typeof service.store>) => (stored = await store(...args));
	const parameters = { resource: 'file', operation: 'upload', workspace: WORKSPACE, waitForCompletion: false };
	const warm = await runDocflow({
		parameters,
		typeVersion: 1.2,
		credentials: credentialsFor(url),
		items: [{ binary: { data: { data: Buffer.from('%PDF-1.4 warm-up'), fileName: 'warm.pdf', mimeType: 'application/pdf' } } }],
		binaryMode: mode,
	});
	if (warm.error) throw new Error(`warm-up failed: ${warm.error.message}`);
	let wallMs = 0;
	let rssGrowthBytes = 0;
	let bytes = 0;
	await runDocflow({
		parameters,
		typeVersion: 1.2,
		credentials: credentialsFor(url),
		items: [{ binary: { data: { data: { path: file }, fileName: 'big.pdf', mimeType: 'application/pdf' } } }],
		binaryMode: mode,
		around: {
			before: async () => {
				const binary = stored!;
				const watch = rssWatch();
				const started = performance.now();
				if (binary.id) {
					for await (const chunk of await service.getAsStream(binary.id, MiB)) {
						bytes += (chunk as Buffer).length;
						watch.sample();
					}
				} else {
					bytes = (await service.getAsBuffer(binary)).length;
					watch.sample();
				}
				wallMs = performance.now() - started;
				rssGrowthBytes = watch.stop();
			},
		},
	});
	if (bytes !== statSync(file).size) throw new Error(`read ${bytes} bytes of ${statSync(file).size}`);
	return { wallMs, rssGrowthBytes };
}

async function measureRaw(url: string, files: string[]): Promise<CaseResult> {
	const { rawUpload } = await import('./raw-client.ts');
	const warmFile = join(mkdtempSync(join(tmpdir(), 'docflow-warm-')), 'warm.pdf');
	writeFileSync(warmFile, '%PDF-1.4 warm-up');
	await rawUpload({ url, ...CREDENTIAL }, warmFile, `${Date.now()}000000`);
	const watch = rssWatch();
	const started = performance.now();
	const batch = `${Date.now()}000001`;
	for (const path of files) await rawUpload({ url, ...CREDENTIAL }, path, batch);
	const wallMs = performance.now() - started;
	return { wallMs, rssGrowthBytes: watch.stop() };
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

function runCase(args: string[]): CaseResult {
	const out = execFileSync(
		process.execPath,
		// Array buffers swept at once on a collection, not in the background: the baseline after a
		// full collection then holds no garbage that a later background sweep would free mid-measurement.
		['--expose-gc', '--no-concurrent-array-buffer-sweeping', '--require', join(__dirname, 'register-ts.cjs'), __filename, 'case', ...args],
		{ encoding: 'utf8', maxBuffer: 16 * MiB, env: process.env },
	);
	return JSON.parse(out.trim().split('\n').at(-1)!) as CaseResult;
}

interface UploadRow {
	name: string;
	nodeMs: number;
	rawMs: number;
	nodeRss: number;
	rawRss: number;
	largest: number;
	/** The wall-time target node/raw for this row. */
	target: number;
}

async function uploadComparison(url: string, dir: string): Promise<UploadRow[]> {
	const small = Array.from({ length: 20 }, (_, i) => makeFile(dir, `one-${i}.pdf`, MiB));
	const big = [makeFile(dir, 'big.pdf', 100 * MiB)];
	const cases = [
		{ name: '20 × 1 MiB, one request per file (node version 1.1)', files: small, largest: MiB, versions: [1.1], target: 1.1 },
		{ name: '20 × 1 MiB, combined uploads (node version 1.2)', files: small, largest: MiB, versions: [1.2], target: 1.0 },
		{ name: '1 × 100 MiB', files: big, largest: 100 * MiB, versions: [1.2], target: 1.1 },
	];
	const rows: UploadRow[] = [];
	for (const c of cases) {
		const node: CaseResult[] = [];
		const raw: CaseResult[] = [];
		// Alternate, so drift on the machine hits both sides alike.
		for (let i = 0; i < REPEAT; i++) {
			raw.push(runCase(['raw', url, ...c.files]));
			node.push(runCase(['node', url, String(c.versions[0]), 'filesystem', ...c.files]));
		}
		rows.push({
			name: c.name,
			nodeMs: median(node.map((r) => r.wallMs)),
			rawMs: median(raw.map((r) => r.wallMs)),
			nodeRss: median(node.map((r) => r.rssGrowthBytes)),
			rawRss: median(raw.map((r) => r.rssGrowthBytes)),
			largest: c.largest,
			target: c.target,
		});
	}
	return rows;
}

interface MemoryRow {
	mode: BinaryMode;
	nodeRss: number;
	n8nRss: number;
	fileBytes: number;
}

/** (e): the node's peak RSS growth vs n8n's own read of the same file, both in fresh processes, alternating. */
async function memoryInBinaryModes(url: string, dir: string): Promise<MemoryRow[]> {
	const file = join(dir, 'big.pdf');
	const rows: MemoryRow[] = [];
	for (const mode of ['database', 'default'] as const) {
		const node: number[] = [];
		const n8n: number[] = [];
		for (let i = 0; i < REPEAT; i++) {
			n8n.push(runCase(['n8n-read', url, mode, file]).rssGrowthBytes);
			node.push(runCase(['node', url, '1.2', mode, file]).rssGrowthBytes);
		}
		rows.push({ mode, nodeRss: median(node), n8nRss: median(n8n), fileBytes: 100 * MiB });
	}
	return rows;
}

async function inProcess() {
	const { startDocflowEmulator } = await import('../test/emulator/index.ts');
	const { runDocflow } = await import('../test/harness/engine.ts');
	const emulator = await startDocflowEmulator({ stepMs: 100_000 });
	const credentials = credentialsFor(emulator.url);
	const doc = (i: number) => ({ binary: { data: { data: Buffer.from(`%PDF-1.4 ${i}`), fileName: `d${i}.pdf`, mimeType: 'application/pdf' } } });
	const uploadRequests = () => emulator.requests.filter((r) => r.path.endsWith('/file/upload')).length;

	// (b) polling: each poll moves DocFlow one step, so the count is the machine-independent cost.
	const polls: Array<{ files: number; fetches: number; uploads: number }> = [];
	for (const files of [1, 20, 200]) {
		emulator.reset();
		emulator.setStepMs(100_000);
		emulator.setAdvancePerFetch(100_000);
		const result = await runDocflow({
			typeVersion: 1.1,
			parameters: { resource: 'file', operation: 'upload', workspace: WORKSPACE, options: { pollIntervalSeconds: 0.01 } },
			credentials,
			items: Array.from({ length: files }, (_, i) => doc(i)),
		});
		if (result.error || result.items.length !== files) throw new Error(`wait run failed: ${result.error?.message}`);
		polls.push({ files, fetches: emulator.requests.filter((r) => r.path.endsWith('/file/fetch')).length, uploads: uploadRequests() });
	}

	// (c) 200 items, 100 ms latency per answer: sequential vs 4 at once (one request per item).
	emulator.reset();
	emulator.setLatency(100);
	const timings: Record<string, number> = {};
	for (const [label, batching] of [
		['sequential', undefined],
		['Batching, 4 items per batch', { batch: { itemsPerBatch: 4 } }],
	] as const) {
		const started = performance.now();
		const result = await runDocflow({
			parameters: { resource: 'file', operation: 'upload', workspace: WORKSPACE, options: batching ? { batching } : {} },
			credentials,
			items: Array.from({ length: 200 }, (_, i) => doc(i)),
		});
		if (result.error || result.items.length !== 200) throw new Error(`latency run failed: ${result.error?.message}`);
		timings[label] = performance.now() - started;
	}

	// (d) 200 single-file items, 100 ms latency, one at a time: one request per item vs combined.
	const combining: Array<{ label: string; requests: number; ms: number }> = [];
	for (const [label, typeVersion] of [
		['one request per item (node version 1.1)', 1.1],
		['combined uploads (node version 1.2)', 1.2],
	] as const) {
		emulator.reset();
		emulator.setLatency(100);
		let started = 0;
		let ms = 0;
		const result = await runDocflow({
			typeVersion,
			parameters: { resource: 'file', operation: 'upload', workspace: WORKSPACE, waitForCompletion: false },
			credentials,
			items: Array.from({ length: 200 }, (_, i) => doc(i)),
			around: {
				before: () => {
					started = performance.now();
				},
				after: () => {
					ms = performance.now() - started;
				},
			},
		});
		if (result.error || result.items.length !== 200) throw new Error(`combining run failed: ${result.error?.message}`);
		if (new Set(emulator.tasks().map((t) => t.name)).size !== 200 || emulator.tasks().length !== 200) throw new Error('not every file stored once');
		combining.push({ label, requests: uploadRequests(), ms });
	}
	await emulator.close();
	return { polls, timings, combining };
}

/** The node description as it stood at the start of the whole-API work (File: Upload, Fetch Batch, Retry). */
const DESCRIPTION_BEFORE_REF = BEFORE_WHOLE_API_REF;

interface DescriptionSize {
	bytes: number;
	resources: number;
	operations: number;
	properties: number;
}

function sizeOf(description: { properties: Array<{ name: string; options?: unknown[] }> }): DescriptionSize {
	const operations = description.properties.filter((p) => p.name === 'operation');
	return {
		bytes: Buffer.byteLength(JSON.stringify(description)),
		resources: operations.length,
		operations: operations.reduce((sum, p) => sum + (p.options?.length ?? 0), 0),
		properties: description.properties.length,
	};
}

/**
 * (f) Bytes of the node description n8n loads (and sends to the editor), now and at
 * DESCRIPTION_BEFORE_REF: that commit's nodes/ is taken out of git into a scratch folder (with
 * this checkout's node_modules) and loaded the same way, so both are measured in this run.
 */
async function descriptionSize(): Promise<{ now: DescriptionSize; before?: DescriptionSize }> {
	const { DocFlow } = await import('../nodes/DocFlow/DocFlow.node.ts');
	const now = sizeOf(new DocFlow().description);
	const repo = join(__dirname, '..');
	let before: DescriptionSize | undefined;
	try {
		const scratch = mkdtempSync(join(tmpdir(), 'docflow-bench-before-'));
		execFileSync('bash', ['-c', `git -C "${repo}" archive ${DESCRIPTION_BEFORE_REF} nodes credentials | tar -x -C "${scratch}"`]);
		symlinkSync(join(repo, 'node_modules'), join(scratch, 'node_modules'));
		const old = (await import(join(scratch, 'nodes', 'DocFlow', 'DocFlow.node.ts'))) as typeof import('../nodes/DocFlow/DocFlow.node');
		before = sizeOf(new old.DocFlow().description);
		rmSync(scratch, { recursive: true, force: true });
	} catch (error) {
		// A shallow clone may not hold that commit: then only today's size is reported.
		process.stderr.write(`[bench] description at ${DESCRIPTION_BEFORE_REF} not measured: ${(error as Error).message}\n`);
	}
	return { now, before };
}

function machineLine(): string {
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const kernel = execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim();
	return `${kernel}, ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}`;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const met = (ok: boolean) => (ok ? '**met**' : '**missed**');

/** Every target of this run that was not met, with its figures (or a line saying all were met). */
function missedTargets(
	uploads: UploadRow[],
	polls: Array<{ fetches: number }>,
	speedup: number,
	perItem: { requests: number; ms: number },
	combined: { requests: number; ms: number },
	memory: MemoryRow[],
): string[] {
	const missed: string[] = [];
	for (const u of uploads) {
		if (u.nodeMs / u.rawMs > u.target) missed.push(`- (a) ${u.name}: wall ratio ${ratio(u.nodeMs, u.rawMs)} (target ≤ ${u.target.toFixed(2)}).`);
		if (u.nodeRss / u.largest > 1.5) missed.push(`- (a) ${u.name}: the node's peak RSS growth is ${ratio(u.nodeRss, u.largest)} × the largest file (target ≤ 1.5; the raw client's: ${ratio(u.rawRss, u.largest)} ×).`);
	}
	if (new Set(polls.map((p) => p.fetches)).size !== 1) missed.push('- (b) polling requests grew with the file count.');
	if (speedup < 3) missed.push(`- (c) Batching speed-up ${speedup.toFixed(2)} (target ≥ 3).`);
	if (perItem.requests / combined.requests < 10) missed.push(`- (d) ${ratio(perItem.requests, combined.requests)} × fewer requests (target ≥ 10).`);
	if (perItem.ms / combined.ms < 5) missed.push(`- (d) ${ratio(perItem.ms, combined.ms)} × less wall time (target ≥ 5).`);
	for (const m of memory) {
		if ((m.nodeRss - m.n8nRss) / m.fileBytes > 0.2) missed.push(`- (e) ${m.mode} mode: the node adds ${ratio(m.nodeRss - m.n8nRss, m.fileBytes)} × the file (target ≤ 0.2).`);
	}
	// The same raw client on the same 20 files, measured for two rows of this run: how far its own median moved.
	const raws = uploads.filter((u) => u.largest === MiB).map((u) => u.rawMs);
	const spread = raws.length > 1 ? ` The raw client's median for the same 20 files was ${raws.map((ms) => `${ms.toFixed(0)} ms`).join(' and ')} in the two rows that measured it.` : '';
	return missed.length > 0 ? [...missed, '', `Each figure is the median of this run on a 2-core machine that the emulator and other work share.${spread}`] : ['None.'];
}

async function main() {
	if (process.argv[2] === 'case') {
		const [, , , kind, url, ...rest] = process.argv;
		let result: CaseResult;
		if (kind === 'node') result = await measureNode(url, Number(rest[0]), rest[1] as BinaryMode, rest.slice(2));
		else if (kind === 'n8n-read') result = await measureN8nRead(url, rest[0] as BinaryMode, rest[1]);
		else result = await measureRaw(url, rest);
		process.stdout.write(`${JSON.stringify(result)}\n`);
		process.exit(0);
	}
	const dir = mkdtempSync(join(tmpdir(), 'docflow-bench-'));
	const { url, child } = await startEmulatorProcess();
	let uploads: UploadRow[];
	let memory: MemoryRow[];
	try {
		process.stderr.write('[bench] (a) uploads vs raw undici + form-data…\n');
		uploads = await uploadComparison(url, dir);
		process.stderr.write('[bench] (e) 100 MiB in database and memory binary modes…\n');
		memory = await memoryInBinaryModes(url, dir);
	} finally {
		child.kill('SIGTERM');
	}
	process.stderr.write('[bench] (b) polling, (c) Batching and (d) combined uploads at 100 ms latency…\n');
	const { polls, timings, combining } = await inProcess();
	const speedup = timings.sequential / timings['Batching, 4 items per batch'];
	const [perItem, combined] = combining;
	const size = await descriptionSize();

	const lines = [
		'# Benchmark results',
		'',
		`Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (bench/run.ts) on: ${machineLine()}.`,
		'',
		'Every figure is a median of repeated runs or a count, and every comparison is a ratio',
		'against a baseline measured in the same run of the script. Absolute times depend on the',
		'machine; the ratios are the result. Each target says whether this run met it.',
		'',
		'## (a) Upload through the node vs a plain undici + form-data script',
		'',
		`The node runs in n8n-core's real engine (WorkflowExecute, filesystem binary mode as n8n 2.x uses by default); the baseline streams the same file from disk with form-data and undici, one request per file. Each side runs ${REPEAT} times, alternating, each in a fresh process; the emulator runs in a process of its own. Both sides first make one small warm-up upload in their process (module loading, first connection), then the measured uploads. Wall time covers the DocFlow node's execution only (not the source node that stores the files). Peak RSS growth is sampled every millisecond during the upload.`,
		'',
		'| Case | Node (median) | Raw (median) | Wall ratio node/raw (target) | Node peak RSS growth / largest file (target ≤ 1.5) | Raw peak RSS growth / largest file |',
		'|---|---|---|---|---|---|',
		...uploads.map(
			(u) =>
				`| ${u.name} | ${u.nodeMs.toFixed(0)} ms | ${u.rawMs.toFixed(0)} ms | ${ratio(u.nodeMs, u.rawMs)} (≤ ${u.target.toFixed(2)}: ${met(u.nodeMs / u.rawMs <= u.target)}) | ${mib(u.nodeRss)} / ${mib(u.largest)} = ${ratio(u.nodeRss, u.largest)} (${met(u.nodeRss / u.largest <= 1.5)}) | ${mib(u.rawRss)} / ${mib(u.largest)} = ${ratio(u.rawRss, u.largest)} |`,
		),
		'',
		'With combined uploads the node sends the 20 files in 2 requests (10 files each), the raw client in 20.',
		'',
		'## (b) Requests needed to wait for a batch',
		'',
		'Upload with Wait for Completion (node version 1.1: one upload request per item); the emulator moves each file one processing step per poll, so every batch needs the same number of rounds whatever the machine.',
		'',
		'| Files in the batch | upload requests | file/fetch requests while waiting |',
		'|---|---|---|',
		...polls.map((p) => `| ${p.files} | ${p.uploads} | ${p.fetches} |`),
		'',
		`Polling requests do not grow with the file count (target ${met(new Set(polls.map((p) => p.fetches)).size === 1)}).`,
		'',
		'## (c) 200 items against 100 ms server latency: Batching',
		'',
		'One request per item (node version 1); every answer 100 ms late.',
		'',
		'| Mode | Wall time | Speed-up vs sequential (target ≥ 3 for 4 at once) |',
		'|---|---|---|',
		...Object.entries(timings).map(([label, ms]) => `| ${label} | ${(ms / 1000).toFixed(1)} s | ${ratio(timings.sequential, ms)} |`),
		'',
		`Speed-up: ${speedup.toFixed(2)} (${met(speedup >= 3)}).`,
		'',
		'## (d) 200 single-file items against 100 ms server latency: combined uploads',
		'',
		'Upload without waiting, one item at a time (no Batching), every answer 100 ms late; wall time of the DocFlow node. Every file stored once in both runs (checked).',
		'',
		'| Mode | upload requests | Wall time |',
		'|---|---|---|',
		...combining.map((c) => `| ${c.label} | ${c.requests} | ${(c.ms / 1000).toFixed(2)} s |`),
		'',
		`Requests: ${perItem.requests} / ${combined.requests} = ${ratio(perItem.requests, combined.requests)} × fewer (target ≥ 10 ×: ${met(perItem.requests / combined.requests >= 10)}). Wall time: ${ratio(perItem.ms, combined.ms)} × less (target ≥ 5 ×: ${met(perItem.ms / combined.ms >= 5)}).`,
		'',
		'## (e) 1 × 100 MiB: what the node holds on top of n8n',
		'',
		`Queue mode keeps binary data in the database (\`N8N_DEFAULT_BINARY_DATA_MODE=database\`). n8n-core ${'2.40'} has no database manager of its own: it is n8n's \`DatabaseManager\` (package n8n, over n8n's database). So this case runs n8n ${N8N_FOR_DATABASE_MODE}'s own \`DatabaseManager\` class inside n8n-core's binary data service, over a table kept in the process's memory instead of Postgres; a read hands back a fresh Buffer of the row, as the Postgres driver does. The stored row itself is in the baseline (in real queue mode it is in Postgres, another process). In that mode n8n reads a file whole: \`getAsStream\` is \`Readable.from(await getAsBuffer(id))\`. The memory ('default') mode is measured too: n8n keeps the file in the item as base64 and hands it out as one Buffer.`,
		'',
		`**n8n's own copy** is measured on its own: in a fresh process, the file is stored by the source node, then read whole through n8n's binary data service the way the node reads it (stream in database mode, buffer in memory mode). **The node**: a fresh process uploads the same file through the engine (simple authentication), peak RSS growth over the DocFlow node's execution. ${REPEAT} of each, alternating; medians.`,
		'',
		'| Binary data mode | Node: peak RSS growth / file | n8n\'s own read: peak RSS growth / file | Node adds on top of n8n (target ≤ 0.2 × file) |',
		'|---|---|---|---|',
		...memory.map(
			(m) =>
				`| ${m.mode === 'database' ? 'database (queue mode), n8n\'s DatabaseManager over an in-memory table' : 'default (memory)'} | ${mib(m.nodeRss)} / ${mib(m.fileBytes)} = ${ratio(m.nodeRss, m.fileBytes)} | ${mib(m.n8nRss)} / ${mib(m.fileBytes)} = ${ratio(m.n8nRss, m.fileBytes)} | ${ratio(m.nodeRss - m.n8nRss, m.fileBytes)} × (${met((m.nodeRss - m.n8nRss) / m.fileBytes <= 0.2)}) |`,
		),
		'',
		'With Postgres, the driver also holds the row as hex text (about twice the file) while it decodes it: n8n\'s cost, not measured here. With signature authentication the node reads the file twice (once for the body hash, once to send it), one read after the other.',
		'',
		'## (f) The node description',
		'',
		`What n8n loads for the node and sends to the editor, now and at commit ${DESCRIPTION_BEFORE_REF} (before the whole API: File with Upload, Fetch Batch, Retry), both measured in this run. Long lists (workspaces, categories, fields, files, rule repositories…) are never in it: they are loaded when the editor opens a picker (listSearch / loadOptions).`,
		'',
		'| Node description | `JSON.stringify(new DocFlow().description)` | Resources | Operations | Properties |',
		'|---|---|---|---|---|',
		...(size.before
			? [`| at ${DESCRIPTION_BEFORE_REF} | ${(size.before.bytes / 1024).toFixed(1)} KiB | ${size.before.resources} | ${size.before.operations} | ${size.before.properties} |`]
			: []),
		`| now | ${(size.now.bytes / 1024).toFixed(1)} KiB | ${size.now.resources} | ${size.now.operations} | ${size.now.properties} |`,
		...(size.before
			? ['', `Ratio now / before: ${ratio(size.now.bytes, size.before.bytes)} × the bytes for ${ratio(size.now.operations, size.before.operations)} × the operations.`]
			: []),
		'',
		'## Targets missed in this run',
		'',
		...missedTargets(uploads, polls, speedup, perItem, combined, memory),
		'',
		keptSection(QUEUE_SECTION),
		'',
		keptSection(EDITOR_SECTION),
		'',
	];
	writeFileSync(RESULTS_PATH, lines.join('\n'));
	process.stdout.write(readFileSync(RESULTS_PATH, 'utf8'));
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exit(1);
	});
}
