/**
 * Real n8n, driven through scripts/n8n.sh: a scratch user folder per n8n version with the
 * packed package installed as a community package, credentials and workflows imported with
 * n8n's own CLI, workflows run with `n8n execute-batch` / `n8n execute`.
 *
 * Every child process is spawned asynchronously: the DocFlow emulator runs in this (jest)
 * process and must keep answering while n8n talks to it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const N8N_SH = join(REPO, 'scripts', 'n8n.sh');
export const SAMPLES = join(REPO, 'test', 'fixtures');
export const EXAMPLES = join(REPO, 'examples');

export const DEFAULT_VERSIONS = ['2.40.7', '1.123.81'];

/** The n8n versions to test: DOCFLOW_E2E_N8N_VERSIONS="2.40.7,1.123.81" (default both). */
export function versionsUnderTest(): string[] {
	const fromEnv = process.env.DOCFLOW_E2E_N8N_VERSIONS;
	const list = (fromEnv ? fromEnv.split(',') : DEFAULT_VERSIONS).map((v) => v.trim()).filter(Boolean);
	return list.length > 0 ? list : DEFAULT_VERSIONS;
}

export interface ShResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface ShOptions {
	env?: NodeJS.ProcessEnv;
	/** pass n8n's / npm's stderr through live (installs print their progress there) */
	liveStderr?: boolean;
	timeoutMs?: number;
}

/** Runs `bash scripts/n8n.sh ARGS…` without blocking the event loop. */
export function n8nSh(args: string[], options: ShOptions = {}): Promise<ShResult> {
	return run('bash', [N8N_SH, ...args], options);
}

export function run(command: string, args: string[], options: ShOptions = {}): Promise<ShResult> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, {
			cwd: REPO,
			env: { ...process.env, ...options.env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => {
			stderr += d.toString();
			if (options.liveStderr) process.stderr.write(d);
		});
		const timer =
			options.timeoutMs !== undefined
				? setTimeout(() => {
						child.kill('SIGTERM');
						reject(new Error(`${command} ${args.join(' ')} timed out after ${options.timeoutMs} ms\n${stderr.slice(-4000)}`));
					}, options.timeoutMs)
				: undefined;
		child.on('error', reject);
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			resolvePromise({ code: code ?? 1, stdout, stderr });
		});
	});
}

/** `run`, failing with n8n's own output when the command fails. */
export async function runOk(args: string[], options: ShOptions = {}): Promise<ShResult> {
	const result = await n8nSh(args, options);
	if (result.code !== 0) {
		throw new Error(
			`bash scripts/n8n.sh ${args.join(' ')} exited ${result.code}\n--- stdout ---\n${result.stdout.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-6000)}`,
		);
	}
	return result;
}

/** Removes a scratch folder of the suite, unless DOCFLOW_E2E_KEEP=1 asks to keep them for a look. */
export function removeScratch(dir: string | undefined): void {
	if (!dir || process.env.DOCFLOW_E2E_KEEP) return;
	rmSync(dir, { recursive: true, force: true });
}

let packed: Promise<string> | undefined;

/** Builds and packs the package once per jest run; the .tgz path. */
/** Stops an `n8n start` spawned detached (its own process group): TERM, then KILL after 15 s. */
export async function stopServer(server: ChildProcess | undefined): Promise<void> {
	if (!server?.pid) return;
	const pid = server.pid;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	const signal = (name: NodeJS.Signals) => {
		try {
			process.kill(-pid, name);
		} catch {
			// already gone
		}
	};
	signal('SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
	clearTimeout(timer); // a pending timer would keep jest from exiting
	signal('SIGKILL');
}

export function packPackage(): Promise<string> {
	packed ??= (async () => {
		const dest = mkdtempSync(join(tmpdir(), 'docflow-e2e-pack-'));
		const { stdout } = await runOk(['pack', dest], { liveStderr: true });
		const tgz = stdout.trim().split('\n').pop() ?? '';
		if (!existsSync(tgz)) throw new Error(`npm pack produced no tarball (${tgz})`);
		return tgz;
	})();
	return packed;
}

export function n8nHome(version: string): string {
	const cache = process.env.DOCFLOW_CACHE ?? join(process.env.HOME ?? tmpdir(), '.cache', 'n8n-nodes-docflow');
	return join(cache, `n8n-${version}`);
}

// ---------- workflow and run shapes (the parts the suite reads) ----------

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	disabled?: boolean;
	notes?: string;
}

export interface Workflow {
	id: string;
	name: string;
	active?: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface CredentialExport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface RunItem {
	json: Record<string, any>;
	binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string; bytes?: number; id?: string; [k: string]: unknown }>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }>;
	error?: unknown;
}

export interface TaskRun {
	executionStatus?: string;
	error?: { message?: string; description?: string; [k: string]: unknown };
	data?: { main?: Array<RunItem[] | null> };
}

/** The run as `n8n execute` prints it (n8n's IRun). */
export interface Run {
	finished?: boolean;
	status?: string;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, TaskRun[]>;
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
		};
	};
}

/** Items a node put on one of its outputs in its first run. */
export function output(run: Run, nodeName: string, outputIndex = 0): RunItem[] {
	const tasks = run.data.resultData.runData[nodeName];
	if (!tasks || tasks.length === 0) {
		throw new Error(
			`node “${nodeName}” did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}${run.data.resultData.error ? `; error: ${run.data.resultData.error.message}` : ''}`,
		);
	}
	if (tasks[0].error) throw new Error(`node “${nodeName}” failed: ${tasks[0].error.message} ${tasks[0].error.description ?? ''}`);
	return tasks[0].data?.main?.[outputIndex] ?? [];
}

export function pairedIndex(item: RunItem): number | undefined {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return p?.item;
}

export interface BatchResult {
	/** runs of the workflows that finished, by workflow id */
	runs: Map<string, Run>;
	/** workflows that did not finish: id → n8n's error message */
	errors: Map<string, string>;
	stderr: string;
	ms: number;
}

/** One scratch n8n user folder of one n8n version, reused for every workflow of that version. */
export class N8nFolder {
	private constructor(
		readonly version: string,
		readonly dir: string,
		readonly env: NodeJS.ProcessEnv,
	) {}

	/**
	 * A fresh user folder with the packed package installed as a community package.
	 * `fileAccess`: the folders Read/Write Files from Disk may use (n8n 2 blocks the rest).
	 */
	static async create(version: string, tgz: string, fileAccess: string[]): Promise<N8nFolder> {
		const dir = mkdtempSync(join(tmpdir(), `docflow-e2e-n8n-${version}-`));
		const env: NodeJS.ProcessEnv = {
			N8N_RESTRICT_FILE_ACCESS_TO: fileAccess.join(';'),
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL_E2E ?? 'warn',
		};
		await runOk(['setup', version, dir, tgz], { env });
		return new N8nFolder(version, dir, env);
	}

	/** Deletes the folder (n8n's database, binary data, runs), unless DOCFLOW_E2E_KEEP is set. */
	remove(): void {
		removeScratch(this.dir);
	}

	private scratch(name: string): string {
		const path = join(this.dir, 'e2e', name);
		mkdirSync(path, { recursive: true });
		return path;
	}

	async importCredentials(credentials: CredentialExport[]): Promise<void> {
		const file = join(this.scratch('import'), `credentials-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		await runOk(['import-credentials', this.version, this.dir, file], { env: this.env });
	}

	/** Imports the workflows (one n8n process for all of them). */
	async importWorkflows(workflows: Workflow[]): Promise<ShResult> {
		const dir = mkdtempSync(join(this.scratch('import'), 'workflows-'));
		for (const workflow of workflows) {
			writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		}
		return await runOk(['import-workflows', this.version, this.dir, dir], { env: this.env });
	}

	/** Workflows as n8n stored them (`n8n export:workflow --all`). */
	async exportWorkflows(): Promise<Workflow[]> {
		const file = join(this.scratch('export'), `workflows-${Date.now()}.json`);
		await runOk(['run', this.version, this.dir, 'export:workflow', '--all', `--output=${file}`], { env: this.env });
		return JSON.parse(readFileSync(file, 'utf8')) as Workflow[];
	}

	/** Runs the workflows one after the other in one n8n process (`n8n execute-batch`). */
	async executeBatch(ids: string[]): Promise<BatchResult> {
		const out = mkdtempSync(join(this.scratch('runs'), 'batch-'));
		const started = Date.now();
		const result = await n8nSh(['execute-batch', this.version, this.dir, ids.join(','), out], {
			env: this.env,
			timeoutMs: 10 * 60_000,
		});
		writeFileSync(join(out, 'n8n-stderr.log'), result.stderr);
		const runs = new Map<string, Run>();
		for (const file of readdirSync(out)) {
			const match = /^(.*)-snapshot\.json$/.exec(file);
			if (match) runs.set(match[1], JSON.parse(readFileSync(join(out, file), 'utf8')) as Run);
		}
		const errors = new Map<string, string>();
		const summaryFile = join(out, 'summary.json');
		if (existsSync(summaryFile)) {
			const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
				executions: Array<{ workflowId: string; executionStatus: string; error?: string }>;
			};
			for (const e of summary.executions) {
				if (e.executionStatus !== 'success') errors.set(e.workflowId, e.error ?? e.executionStatus);
			}
		} else {
			throw new Error(`n8n execute-batch wrote no summary (exit ${result.code})\n${result.stderr.slice(-6000)}`);
		}
		return { runs, errors, stderr: result.stderr, ms: Date.now() - started };
	}

	/**
	 * `n8n start` with this folder on a free loopback port, in its own process group (so the task
	 * runner n8n starts goes down with it); resolves once n8n answers its readiness check.
	 * `env` adds to the folder's environment.
	 */
	async start(env: NodeJS.ProcessEnv = {}): Promise<RunningN8n> {
		const port = Number((await n8nSh(['free-port'])).stdout.trim());
		const server = spawn('bash', [N8N_SH, 'start', this.version, this.dir, String(port)], {
			cwd: REPO,
			env: { ...process.env, ...this.env, N8N_LOG_LEVEL: 'warn', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const running = new RunningN8n(port, server);
		const ready = await n8nSh(['wait-healthy', String(port), '180']);
		if (ready.code !== 0) {
			await running.stop();
			throw new Error(`n8n start did not become ready\n${ready.stderr}\n${running.log.slice(-6000)}`);
		}
		return running;
	}

	/** Runs one workflow (`n8n execute --id`); the run, or n8n's error output. */
	async execute(id: string): Promise<{ run?: Run; code: number; stderr: string }> {
		const file = join(this.scratch('runs'), `${id}-${Date.now()}.json`);
		const result = await n8nSh(['execute', this.version, this.dir, id, file], { env: this.env, timeoutMs: 5 * 60_000 });
		const run = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Run) : undefined;
		return { run, code: result.code, stderr: result.stderr };
	}
}

/** An answer of n8n's REST API (or of any other path it serves); `json` when the body is JSON. */
export interface RestAnswer {
	status: number;
	json: any;
	text: string;
	type: string;
}

/** A request to the n8n at `base` with a session cookie (`n8n-auth=…`; '' for none). */
export async function n8nRequest(base: string, cookie: string, path: string, method = 'GET', body?: unknown): Promise<RestAnswer> {
	const res = await fetch(`${base}${path}`, {
		method,
		headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json, text, type: res.headers.get('content-type') ?? '' };
}

/** An `n8n start` of N8nFolder.start: its port, what it printed, its owner account, its stop. */
export class RunningN8n {
	/** what n8n printed so far (stdout and stderr) */
	log = '';
	/** the owner's session cookie, once setupOwner has run */
	cookie = '';

	constructor(
		readonly port: number,
		readonly child: ChildProcess,
	) {
		child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
	}

	/** the REST API's and editor's address; `host` localhost for a browser (n8n's editor base URL) */
	base(host: 'localhost' | '127.0.0.1' = '127.0.0.1'): string {
		return `http://${host}:${this.port}`;
	}

	/**
	 * Creates the owner account of this fresh n8n; its session cookie (`n8n-auth=…`). n8n 1.x
	 * answers its readiness check a moment before its REST API is mounted: a 404 is asked again.
	 */
	async setupOwner(email: string, password: string, firstName = 'Demo', lastName = 'User'): Promise<string> {
		const args = ['owner-setup', String(this.port), email, password, firstName, lastName];
		let owner = await n8nSh(args);
		for (let i = 0; i < 30 && owner.code !== 0 && /HTTP 404/.test(owner.stderr); i++) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			owner = await n8nSh(args);
		}
		if (owner.code !== 0) throw new Error(`owner setup failed: ${owner.stderr}`);
		this.cookie = owner.stdout.trim();
		return this.cookie;
	}

	/** A request as the owner (after setupOwner). */
	async rest(path: string, method = 'GET', body?: unknown): Promise<RestAnswer> {
		return await n8nRequest(this.base(), this.cookie, path, method, body);
	}

	async stop(): Promise<void> {
		await stopServer(this.child);
	}
}
