/**
 * The processes of the queue-mode suite: a Postgres cluster and a Redis of its own on loopback
 * ports, n8n (main + workers) with Postgres and Redis, and a recording TCP proxy in front of the
 * DocFlow emulator that names the process that opened every connection.
 *
 * Everything lives in one work folder (DOCFLOW_QUEUE_WORK from scripts/e2e-queue.sh, else a
 * fresh temp folder). Every process is started in its own process group and its group id and
 * stop signal are written to <work>/pids/<name>, so the script's exit trap can stop whatever
 * the suite did not (a crashed or killed jest) before it removes the folder.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { chownSync, chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8N_SH, REPO } from '../e2e/n8n.ts';

export const VERSION = '2.40.7';

// ---------- the work folder ----------

export class Work {
	private constructor(readonly dir: string) {}

	static create(): Work {
		const given = process.env.DOCFLOW_QUEUE_WORK;
		const dir = given && existsSync(given) ? given : mkdtempSync(join(tmpdir(), 'docflow-queue-'));
		mkdirSync(join(dir, 'pids'), { recursive: true });
		mkdirSync(join(dir, 'logs'), { recursive: true });
		// Postgres runs as its own user and must reach its data folder inside this one
		chmodSync(dir, 0o711);
		return new Work(dir);
	}

	path(...parts: string[]): string {
		return join(this.dir, ...parts);
	}

	log(name: string): string {
		return this.path('logs', `${name}.log`);
	}

	/** Removes everything, unless DOCFLOW_E2E_KEEP=1 asks to keep it for a look. */
	remove(): void {
		if (process.env.DOCFLOW_E2E_KEEP) {
			process.stderr.write(`[queue] DOCFLOW_E2E_KEEP: work folder kept at ${this.dir}\n`);
			return;
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}

// ---------- processes ----------

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A small PDF-looking file, different in content from every other one (`suite` names who made it). */
export function pdfLike(index: number, suite: string): Buffer {
	return Buffer.concat([
		Buffer.from(`%PDF-1.4\n% docflow ${suite} file ${index}\n1 0 obj << /Type /Catalog >> endobj\n% `),
		Buffer.from(randomBytes(512 + index).toString('base64')),
		Buffer.from('\n%%EOF\n'),
	]);
}

/** Runs `task` over `items`, at most `limit` at a time; the results in the items' order. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				results[i] = await task(items[i]);
			}
		}),
	);
	return results;
}

/** A process of the suite, in its own process group, its output in <work>/logs/<name>.log. */
export class Service {
	private exited = false;

	private constructor(
		readonly name: string,
		readonly child: ChildProcess,
		readonly logFile: string,
		private readonly pidFile: string,
		private readonly stopSignal: NodeJS.Signals,
	) {
		child.once('exit', () => (this.exited = true));
	}

	static start(
		work: Work,
		name: string,
		command: string,
		args: string[],
		options: { env?: NodeJS.ProcessEnv; stopSignal?: NodeJS.Signals; cwd?: string } = {},
	): Service {
		const logFile = work.log(name);
		const fd = openSync(logFile, 'a');
		const child = spawn(command, args, {
			cwd: options.cwd ?? REPO,
			env: options.env ?? process.env,
			stdio: ['ignore', fd, fd],
			detached: true, // its own process group: its children go down with it
		});
		closeSync(fd);
		if (!child.pid) throw new Error(`${name}: could not start ${command}`);
		const stopSignal = options.stopSignal ?? 'SIGTERM';
		const pidFile = work.path('pids', name);
		// read by scripts/e2e-queue.sh's exit trap: "<process group> <signal>"
		writeFileSync(pidFile, `${child.pid} ${stopSignal.replace(/^SIG/, '')}\n`);
		return new Service(name, child, logFile, pidFile, stopSignal);
	}

	get pgid(): number {
		return this.child.pid!;
	}

	get running(): boolean {
		return !this.exited;
	}

	/** The last `chars` characters of its output, for error messages. */
	tail(chars = 4000): string {
		try {
			const text = readFileSync(this.logFile, 'utf8');
			return text.slice(-chars);
		} catch {
			return '';
		}
	}

	output(): string {
		try {
			return readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/**
	 * Sends its stop signal to the whole group and waits until no process of the group is left
	 * (SIGKILL after `graceMs`).
	 */
	async stop(graceMs = 20_000): Promise<void> {
		const pgid = this.pgid;
		const signal = (name: NodeJS.Signals) => {
			try {
				process.kill(-pgid, name);
			} catch {
				// already gone
			}
		};
		if (groupAlive(pgid)) {
			signal(this.stopSignal);
			const deadline = Date.now() + graceMs;
			while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
			if (groupAlive(pgid)) {
				process.stderr.write(`[queue] ${this.name} did not stop within ${graceMs} ms: SIGKILL\n`);
				signal('SIGKILL');
				while (groupAlive(pgid)) await sleep(50);
			}
		}
		rmSync(this.pidFile, { force: true });
	}
}

export function execText(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{ env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
				else resolve(stdout);
			},
		);
	});
}

/** `count` distinct free TCP ports on 127.0.0.1 (all held open at once, so never the same twice). */
export async function freePorts(count: number): Promise<number[]> {
	const servers: Server[] = [];
	try {
		for (let i = 0; i < count; i++) {
			const server = createServer();
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			servers.push(server);
		}
		return servers.map((s) => (s.address() as { port: number }).port);
	} finally {
		await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
	}
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, service?: Service): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (service && !service.running) throw new Error(`${what}: the process exited\n${service.tail()}`);
		if (await check().catch(() => false)) return;
		await sleep(250);
	}
	throw new Error(`${what}: not ready within ${timeoutMs / 1000} s${service ? `\n${service.tail()}` : ''}`);
}

// ---------- Postgres ----------

/** The bin folder of the newest Postgres installed from Debian's packages (or DOCFLOW_QUEUE_PG_BIN). */
export function postgresBin(): string {
	const given = process.env.DOCFLOW_QUEUE_PG_BIN;
	if (given) return given;
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
				.sort((a, b) => Number(a) - Number(b))
		: [];
	if (versions.length === 0) throw new Error('no Postgres in /usr/lib/postgresql: apt-get install -y postgresql (scripts/e2e-queue.sh does)');
	return join(root, versions[versions.length - 1], 'bin');
}

export class Postgres {
	private constructor(
		readonly service: Service,
		readonly port: number,
		readonly database: string,
		private readonly bin: string,
	) {}

	/**
	 * A throw-away cluster: initdb into <work>/pg (trust authentication, loopback only, no fsync),
	 * `postgres` in the foreground on `port`, its socket in <work>/pgsock, and a database for n8n.
	 * As root it runs as the `postgres` user (Postgres refuses root).
	 */
	static async start(work: Work, port: number, database = 'n8n'): Promise<Postgres> {
		const bin = postgresBin();
		const dataDir = work.path('pg');
		const socketDir = work.path('pgsock');
		mkdirSync(dataDir, { recursive: true });
		mkdirSync(socketDir, { recursive: true });
		let asUser: string[] = [];
		if (process.getuid?.() === 0) {
			const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
			const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
			chownSync(dataDir, uid, gid);
			chownSync(socketDir, uid, gid);
			asUser = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups'];
		}
		const run = (program: string, args: string[]) =>
			asUser.length > 0 ? [asUser[0], [...asUser.slice(1), join(bin, program), ...args]] as const : ([join(bin, program), args] as const);
		const [initCmd, initArgs] = run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
		await execText(initCmd, [...initArgs], { timeoutMs: 120_000 });
		const [cmd, args] = run('postgres', [
			'-D', dataDir,
			'-p', String(port),
			'-k', socketDir,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		]);
		// SIGINT: Postgres' "fast" shutdown (SIGTERM would wait for every client to leave)
		const service = Service.start(work, 'postgres', cmd, [...args], { stopSignal: 'SIGINT' });
		const pg = new Postgres(service, port, database, bin);
		await waitFor(
			`Postgres on port ${port}`,
			async () => {
				await execText(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], { timeoutMs: 5000 });
				return true;
			},
			60_000,
			service,
		);
		await execText(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
		return pg;
	}

	/** Rows of a query as arrays of text fields (psql's unaligned output, tab-separated). */
	async query(sql: string): Promise<string[][]> {
		const out = await execText(join(this.bin, 'psql'), [
			'-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', this.database,
			'-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql,
		]);
		return out
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	env(): NodeJS.ProcessEnv {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		};
	}
}

// ---------- Redis ----------

export class Redis {
	private constructor(
		readonly service: Service,
		readonly port: number,
	) {}

	static async start(work: Work, port: number): Promise<Redis> {
		const service = Service.start(work, 'redis', 'redis-server', [
			'--port', String(port),
			'--bind', '127.0.0.1',
			'--save', '',
			'--appendonly', 'no',
			'--daemonize', 'no',
			'--dir', work.dir,
		]);
		const redis = new Redis(service, port);
		await waitFor(`Redis on port ${port}`, async () => (await redis.cli('PING')).trim() === 'PONG', 30_000, service);
		return redis;
	}

	/** One command through redis-cli; its raw output. */
	cli(...args: string[]): Promise<string> {
		return execText('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), '--raw', ...args], { timeoutMs: 10_000 });
	}

	env(): NodeJS.ProcessEnv {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}
}

// ---------- n8n ----------

/** Whether this machine lets us give a process its own hostname (a UTS namespace: root in most containers). */
export function canSetHostname(): boolean {
	try {
		execFileSync('unshare', ['--uts', 'hostname', 'docflow-queue-probe'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

export interface N8nProcessOptions {
	work: Work;
	name: string;
	userFolder: string;
	/** `start` (main) or `worker` */
	command: 'start' | 'worker';
	args?: string[];
	env: NodeJS.ProcessEnv;
	/**
	 * Run it in a UTS namespace of its own with this hostname. n8n names a worker
	 * `worker-<hostname>` when it believes it runs in a container (/.dockerenv), so two workers
	 * of one container otherwise carry the same name.
	 */
	hostname?: string;
}

/** `bash scripts/n8n.sh run VERSION USER_FOLDER start|worker …` in its own process group. */
export function startN8n(options: N8nProcessOptions): Service {
	const n8nArgs = ['run', VERSION, options.userFolder, options.command, ...(options.args ?? [])];
	const env = { ...process.env, ...options.env };
	delete env.JEST_WORKER_ID;
	if (options.hostname) {
		return Service.start(
			options.work,
			options.name,
			'unshare',
			['--uts', 'bash', '-c', 'hostname "$0" && exec bash "$@"', options.hostname, N8N_SH, ...n8nArgs],
			{ env },
		);
	}
	return Service.start(options.work, options.name, 'bash', [N8N_SH, ...n8nArgs], { env });
}

/** Waits until an n8n process answers GET /healthz/readiness on `port`. */
export async function waitHealthy(service: Service, port: number, timeoutMs = 180_000): Promise<void> {
	await waitFor(
		`${service.name} on port ${port}`,
		async () => (await fetch(`http://127.0.0.1:${port}/healthz/readiness`)).ok,
		timeoutMs,
		service,
	);
}

/** n8n's JSON log lines (N8N_LOG_FORMAT=json) of a process. */
export interface LogLine {
	level: string;
	message: string;
	metadata: Record<string, any>;
}

export function jsonLog(service: Service): LogLine[] {
	const lines: LogLine[] = [];
	for (const line of service.output().split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const parsed = JSON.parse(line) as LogLine;
			if (typeof parsed.message === 'string') lines.push({ ...parsed, metadata: parsed.metadata ?? {} });
		} catch {
			// not one of n8n's JSON lines
		}
	}
	return lines;
}

// ---------- who opened a connection ----------

/** /proc/net/tcp's hex address of 127.0.0.1:port. */
function loopbackHex(port: number): string {
	return `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The inode of the client end (local 127.0.0.1:clientPort → 127.0.0.1:serverPort) of a TCP connection. */
function clientSocketInode(clientPort: number, serverPort: number): string | undefined {
	const local = loopbackHex(clientPort);
	const remote = loopbackHex(serverPort);
	for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		if (fields[1] === local && fields[2] === remote) return fields[9];
	}
	return undefined;
}

function processGroupOf(pid: string): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses
		const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return Number(after[2]);
	} catch {
		return undefined;
	}
}

export interface SocketOwner {
	pid: number;
	/** the process group, i.e. which Service */
	pgid: number;
	/** the process's command line */
	cmdline: string;
}

/** The process holding the client end of a loopback connection to `serverPort`, found in /proc. */
export function socketOwner(clientPort: number, serverPort: number, groups: Set<number>): SocketOwner | undefined {
	const inode = clientSocketInode(clientPort, serverPort);
	if (!inode || inode === '0') return undefined;
	const target = `socket:[${inode}]`;
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		const pgid = processGroupOf(pid);
		if (pgid === undefined || !groups.has(pgid)) continue;
		let fds: string[];
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) {
					const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
					return { pid: Number(pid), pgid, cmdline };
				}
			} catch {
				// fd closed meanwhile
			}
		}
	}
	return undefined;
}

export interface ProxiedConnection {
	openedAt: number;
	clientPort: number;
	/** the Service (by name) whose process group holds the client socket; 'unknown' when none of them */
	owner: string;
	pid?: number;
	cmdline?: string;
	bytesUp: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `targetPort` that, for every connection, looks up in /proc
 * which process opened it (before a byte is forwarded) among the watched services' process groups.
 * The DocFlow credential points at it, so every request the node sends passes here.
 */
export class OwnerRecordingProxy {
	readonly connections: ProxiedConnection[] = [];
	private readonly sockets = new Set<Socket>();
	private readonly watched = new Map<number, string>();

	private constructor(
		private readonly server: Server,
		readonly port: number,
	) {}

	static async start(targetPort: number): Promise<OwnerRecordingProxy> {
		let proxy: OwnerRecordingProxy | undefined;
		const server = createServer({ pauseOnConnect: true }, (client) => proxy!.accept(client, targetPort));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		proxy = new OwnerRecordingProxy(server, (server.address() as { port: number }).port);
		return proxy;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	watch(service: Service): void {
		this.watched.set(service.pgid, service.name);
	}

	private accept(client: Socket, targetPort: number): void {
		const clientPort = client.remotePort ?? 0;
		let owner: SocketOwner | undefined;
		try {
			owner = socketOwner(clientPort, this.port, new Set(this.watched.keys()));
		} catch {
			owner = undefined;
		}
		const record: ProxiedConnection = {
			openedAt: Date.now(),
			clientPort,
			owner: owner ? (this.watched.get(owner.pgid) ?? 'unknown') : 'unknown',
			pid: owner?.pid,
			cmdline: owner?.cmdline,
			bytesUp: 0,
		};
		this.connections.push(record);
		const upstream = netConnect(targetPort, '127.0.0.1');
		this.sockets.add(client);
		this.sockets.add(upstream);
		const drop = () => {
			client.destroy();
			upstream.destroy();
			this.sockets.delete(client);
			this.sockets.delete(upstream);
		};
		client.on('data', (chunk: Buffer) => (record.bytesUp += chunk.length));
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);
		client.pipe(upstream);
		upstream.pipe(client);
		client.resume();
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(resolve));
	}
}
