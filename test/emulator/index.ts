// TextIn DocFlow REST API emulator for tests. Node built-ins only; no shared code with nodes/ or credentials/.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type {
	DocflowEmulator,
	EmulatorCredential,
	EmulatorOptions,
	EmulatorWorkspace,
	FailRule,
	FaultRule,
	RecordedAuth,
	RecordedRequest,
} from './types.ts';
import { getBoundary, parseMultipart } from './multipart.ts';
import { sha256Hex, verifySignature } from './signature.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_WORKSPACES } from './data.ts';
import { TaskStore, defaultFailRule } from './state.ts';
import { FaultQueue } from './faults.ts';
import { BizError, MSG, RawReply, bad, jsonReply } from './params.ts';
import type { Ctx, Reply } from './params.ts';
import { categoryRoutes } from './routes/category.ts';
import { categorySampleRoutes } from './routes/categorySample.ts';
import type { RouteEnv, Routes } from './routes/env.ts';
import { fileFetchRoutes } from './routes/fileFetch.ts';
import { fileTaskRoutes } from './routes/fileTasks.ts';
import { fileUploadRoutes } from './routes/fileUpload.ts';
import { reviewRoutes } from './routes/review.ts';
import { workspaceRoutes } from './routes/workspace.ts';

export type {
	DocflowEmulator,
	EmulatorCategory,
	EmulatorCredential,
	EmulatorOptions,
	EmulatorWorkspace,
	FailRule,
	FailRuleInput,
	FaultKind,
	FaultRule,
	ParserParams,
	RecordedAuth,
	RecordedPart,
	RecordedRequest,
	StoredTask,
	UploadOptions,
} from './types.ts';
export { DEFAULT_CREDENTIALS, DEFAULT_WORKSPACES } from './data.ts';
export { DEFAULT_FAILURE_CAUSE, STATUS, defaultFailRule } from './state.ts';
export { MAX_FILE_BYTES, MSG, SUPPORTED_FORMATS } from './params.ts';

export const API_PREFIX = '/api/app-api/sip/platform/v2/';
/** Bodies above this are drained but not buffered. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export async function startDocflowEmulator(options: EmulatorOptions = {}): Promise<DocflowEmulator> {
	const credentials: EmulatorCredential[] = (options.credentials ?? DEFAULT_CREDENTIALS).map((c) => ({
		...c,
		enterpriseIds: [...c.enterpriseIds],
	}));
	const initialWorkspaces: EmulatorWorkspace[] = structuredClone(options.workspaces ?? DEFAULT_WORKSPACES);
	// One array for the run: routes and the task store hold it; reset() refills it in place.
	const workspaces: EmulatorWorkspace[] = structuredClone(initialWorkspaces);
	const resetHooks: Array<() => void> = [];
	const initialStepMs = options.stepMs ?? 50;
	const initialLatency = options.latencyMs ?? 0;
	const initialFailRule: FailRule = options.failRule ?? defaultFailRule;
	const windowSec = options.signatureWindowSec ?? 300;

	let latency = initialLatency;
	let advancePerFetch = 0;
	let maxPageSize = options.maxPageSize;
	const store = new TaskStore(initialStepMs, initialFailRule, workspaces);
	const faults = new FaultQueue();
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<ReturnType<typeof setTimeout>>();
	let closed = false;
	let baseUrl = '';

	function sleep(ms: number): Promise<void> {
		if (!(ms > 0)) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			timers.add(t);
		});
	}

	// ---------- authentication ----------
	function authenticate(
		method: string,
		path: string,
		rawQuery: string,
		headers: Record<string, string>,
		bodySha: string,
	): { auth: RecordedAuth; error?: BizError; cred?: EmulatorCredential; enterprises?: string[] } {
		const appId = headers['x-ti-app-id'];
		const secret = headers['x-ti-secret-code'];
		const sig = headers['x-ti-signature'];
		const ts = headers['x-ti-timestamp'];
		const ent = headers['x-ti-enterprise-id'];
		const secretHeader = secret !== undefined;
		const auth: RecordedAuth = { mode: 'none', valid: false, secretHeader };
		if (appId) auth.appId = appId;
		if (ent !== undefined) auth.enterpriseId = ent;
		let cred: EmulatorCredential | undefined;

		if (sig !== undefined || (ts !== undefined && secret === undefined)) {
			auth.mode = 'signature';
			const notes: string[] = [];
			if (secretHeader) notes.push('x-ti-secret-code was also sent (ignored in signature mode)');
			const fail = (code: number, msg: string, reason: string) => {
				auth.reason = [reason, ...notes].join('; ');
				return { auth, error: new BizError(code, msg) };
			};
			if (!appId || !ts || !sig) {
				const missing = [!appId && 'x-ti-app-id', !ts && 'x-ti-timestamp', !sig && 'x-ti-signature'].filter(Boolean).join(', ');
				return fail(40101, `${missing} is empty`, `missing ${missing}`);
			}
			cred = credentials.find((c) => c.appId === appId);
			if (!cred) return fail(40102, MSG.AUTH_INVALID, 'unknown x-ti-app-id');
			const nowSec = Math.floor(Date.now() / 1000);
			if (!/^\d{1,12}$/.test(ts) || Math.abs(nowSec - Number(ts)) > windowSec) {
				return fail(40102, MSG.SIGNATURE_EXPIRED, `timestamp ${ts} outside ±${windowSec}s of ${nowSec}`);
			}
			const check = verifySignature({
				secretCode: cred.secretCode,
				timestamp: ts,
				signature: sig,
				method,
				path,
				rawQuery,
				bodySha256: bodySha,
			});
			if (!check.ok) {
				return fail(
					40102,
					MSG.SIGNATURE_MISMATCH,
					`signature mismatch${check.hint ? ` (looks like: ${check.hint})` : ''}; expected string_to_sign ${JSON.stringify(check.stringToSign)}`,
				);
			}
			if (notes.length) auth.reason = notes.join('; ');
		} else if (appId === undefined && secret === undefined) {
			auth.mode = 'none';
			auth.reason = 'no authentication headers';
			return { auth, error: new BizError(40101, MSG.AUTH_EMPTY) };
		} else {
			auth.mode = 'simple';
			if (!appId || !secret) {
				auth.reason = `missing ${!appId ? 'x-ti-app-id' : 'x-ti-secret-code'}`;
				return { auth, error: new BizError(40101, MSG.AUTH_EMPTY) };
			}
			cred = credentials.find((c) => c.appId === appId);
			if (!cred || cred.secretCode !== secret) {
				auth.reason = cred ? 'wrong x-ti-secret-code' : 'unknown x-ti-app-id';
				return { auth, error: new BizError(40102, MSG.AUTH_INVALID) };
			}
		}
		if (ent !== undefined && !cred.enterpriseIds.includes(ent)) {
			auth.reason = `enterprise ${ent} not in [${cred.enterpriseIds.join(', ')}]`;
			return { auth, error: new BizError(40301, MSG.NO_ENTERPRISE_PERMISSION) };
		}
		auth.valid = true;
		return { auth, cred, enterprises: ent !== undefined ? [ent] : [...cred.enterpriseIds] };
	}

	function requireWorkspace(ctx: Ctx, id: unknown): EmulatorWorkspace {
		if (id === undefined || id === null || id === '') throw bad('workspace_id is required');
		const ws = workspaces.find((w) => w.workspace_id === String(id));
		if (!ws || !ctx.enterprises.includes(ws.enterprise_id)) throw new BizError(40004, MSG.WORKSPACE_NOT_FOUND);
		return ws;
	}

	const env: RouteEnv = {
		store,
		workspaces,
		requireWorkspace,
		baseUrl: () => baseUrl,
		maxPageSize: () => maxPageSize,
		onReset: (hook) => resetHooks.push(hook),
		sleep,
	};
	const ROUTES: Routes = {
		...workspaceRoutes(env),
		...categoryRoutes(env),
		...categorySampleRoutes(env),
		...fileUploadRoutes(env),
		...fileFetchRoutes(env),
		...fileTaskRoutes(env),
		...reviewRoutes(env),
	};

	// ---------- HTTP plumbing ----------
	function send(res: ServerResponse, rec: RecordedRequest, reply: Reply): void {
		if (closed || res.destroyed || res.socket?.destroyed) return;
		rec.status = reply.status;
		if (reply.code !== undefined) rec.code = reply.code;
		res.writeHead(reply.status, {
			'content-type': reply.contentType,
			'content-length': String(reply.body.length),
			'x-ti-trace-id': rec.traceId,
			...(reply.headers ?? {}),
		});
		res.end(reply.body);
	}

	function destroy(req: IncomingMessage, res: ServerResponse): void {
		res.destroy();
		req.socket.destroy();
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const traceId = randomBytes(16).toString('hex');
		const method = (req.method ?? 'GET').toUpperCase();
		const rawUrl = req.url ?? '/';
		const qi = rawUrl.indexOf('?');
		const path = qi >= 0 ? rawUrl.slice(0, qi) : rawUrl;
		const rawQuery = qi >= 0 ? rawUrl.slice(qi + 1) : '';
		const query: Record<string, string> = {};
		for (const [k, v] of new URLSearchParams(rawQuery)) query[k] = v;
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) {
			if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
		}
		const rec: RecordedRequest = {
			method,
			path,
			rawQuery,
			query,
			headers,
			bodyLength: 0,
			bodySha256: '',
			auth: { mode: 'none', valid: false },
			status: 0,
			traceId,
			receivedAt: Date.now(),
		};
		requests.push(rec);

		// read the whole body (streamed, hashed as it arrives)
		const hash = createHash('sha256');
		const chunks: Buffer[] = [];
		let length = 0;
		let overflow = false;
		try {
			for await (const chunk of req) {
				const b = chunk as Buffer;
				hash.update(b);
				length += b.length;
				if (length <= MAX_BODY_BYTES) chunks.push(b);
				else if (!overflow) {
					overflow = true;
					chunks.length = 0;
				}
			}
		} catch {
			return; // client went away
		}
		const body = overflow ? Buffer.alloc(0) : Buffer.concat(chunks, length);
		rec.bodyLength = length;
		rec.bodySha256 = hash.digest('hex');

		const ctx: Ctx = {
			method,
			path,
			endpoint: path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : '',
			query,
			headers,
			body,
			overflow,
			cred: credentials[0],
			enterprises: [],
		};
		const ct = (headers['content-type'] ?? '').toLowerCase();
		if (ct.includes('json') && length > 0 && !overflow) {
			try {
				ctx.json = JSON.parse(body.toString('utf8'));
				rec.json = ctx.json;
			} catch (e) {
				ctx.jsonError = (e as Error).message;
			}
		} else if (ct.includes('json') && length === 0) {
			ctx.jsonError = 'empty body';
		}
		if (ct.startsWith('multipart/form-data') && !overflow) {
			const boundary = getBoundary(headers['content-type']);
			if (!boundary) ctx.multipartError = 'missing boundary';
			else {
				try {
					ctx.parts = parseMultipart(body, boundary);
					rec.parts = ctx.parts.map((p) => {
						const part: { name: string; filename?: string; contentType?: string; size: number; sha256: string } = {
							name: p.name,
							size: p.data.length,
							sha256: sha256Hex(p.data),
						};
						if (p.filename !== undefined) part.filename = p.filename;
						if (p.contentType !== undefined) part.contentType = p.contentType;
						return part;
					});
				} catch (e) {
					ctx.multipartError = (e as Error).message;
				}
			}
		}

		// auth is judged (and recorded) for every request
		const authResult = authenticate(method, path, rawQuery, headers, rec.bodySha256);
		rec.auth = authResult.auth;

		const fault = faults.take(method, path);
		if (fault) rec.fault = fault.kind;

		await sleep(latency);
		if (closed) return;

		// faults answered without processing
		if (fault) {
			switch (fault.kind) {
				case 'reset-before':
					destroy(req, res);
					return;
				case 'status': {
					const status = fault.status ?? 500;
					const headersOut: Record<string, string> = {};
					if (fault.retryAfter !== undefined) headersOut['retry-after'] = String(fault.retryAfter);
					const text = fault.body ?? JSON.stringify({ code: status, msg: STATUS_CODES[status] ?? 'error' });
					const isJsonDefault = fault.body === undefined;
					send(res, rec, {
						status,
						contentType: fault.contentType ?? (isJsonDefault ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8'),
						body: Buffer.from(text),
						code: isJsonDefault ? status : undefined,
						headers: headersOut,
					});
					return;
				}
				case 'business':
					send(res, rec, jsonReply({ code: fault.code ?? 50000, msg: fault.msg ?? 'business error', traceId }));
					return;
				case 'html':
					send(res, rec, {
						status: 502,
						contentType: 'text/html; charset=utf-8',
						body: Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>'),
					});
					return;
				case 'redirect':
					send(res, rec, {
						status: fault.status ?? 302,
						contentType: 'text/plain; charset=utf-8',
						body: Buffer.from(`Redirecting to ${fault.location}`),
						headers: { location: fault.location! },
					});
					return;
				case 'non-json':
					send(res, rec, { status: 200, contentType: 'text/plain; charset=utf-8', body: Buffer.from('OK') });
					return;
				default:
					break;
			}
		}

		// normal processing
		let reply: Reply;
		const route = ROUTES[ctx.endpoint];
		if (!route || route.method !== method) {
			reply = jsonReply({ code: 404, msg: 'not found' }, 404);
		} else if (authResult.error) {
			reply = jsonReply({ code: authResult.error.code, msg: authResult.error.message, traceId });
		} else {
			ctx.cred = authResult.cred!;
			ctx.enterprises = authResult.enterprises!;
			ctx.enterpriseHeader = headers['x-ti-enterprise-id'];
			try {
				if (ctx.endpoint === 'file/fetch' && advancePerFetch > 0) store.offset += advancePerFetch;
				store.materialize();
				// A route may answer late (file/upload/sync holds the connection while it processes).
				const result = await route.run(ctx);
				if (closed) return;
				store.materialize();
				reply =
					result instanceof RawReply
						? result.reply
						: jsonReply(result === undefined ? { code: 200, msg: 'success' } : { code: 200, msg: 'success', result });
			} catch (e) {
				if (e instanceof BizError) reply = jsonReply({ code: e.code, msg: e.message, traceId });
				else reply = jsonReply({ code: 500, msg: `emulator error: ${(e as Error).message}`, traceId }, 500);
			}
		}

		if (fault) {
			switch (fault.kind) {
				case 'truncated-json':
					reply = { ...reply, body: reply.body.subarray(0, Math.floor(reply.body.length / 2)) };
					break;
				case 'reset-after':
					destroy(req, res);
					return;
				case 'hang-after':
					return; // never answered; close() destroys the socket
				case 'delay':
					await sleep(fault.ms ?? 1000);
					if (closed) return;
					break;
				default:
					break;
			}
		}
		send(res, rec, reply);
	}

	const server = createServer({ requestTimeout: 0, keepAliveTimeout: 5000 }, (req, res) => {
		handle(req, res).catch((e) => {
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ code: 500, msg: `emulator error: ${(e as Error).message}` }));
			}
		});
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.on('clientError', (_err, socket) => {
		socket.destroy();
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	baseUrl = `http://127.0.0.1:${port}`;

	const emulator: DocflowEmulator = {
		url: baseUrl,
		port,
		requests,
		credentials,
		workspaces,
		async close() {
			if (closed) return;
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			const done = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			for (const s of sockets) s.destroy();
			await done;
		},
		clearRequests() {
			requests.length = 0;
		},
		reset() {
			requests.length = 0;
			store.clear();
			workspaces.splice(0, workspaces.length, ...structuredClone(initialWorkspaces));
			for (const hook of resetHooks) hook();
			faults.clear();
			latency = initialLatency;
			advancePerFetch = 0;
			maxPageSize = options.maxPageSize;
			store.stepMs = initialStepMs;
			store.failRule = initialFailRule;
		},
		setStepMs(ms: number) {
			store.stepMs = ms;
		},
		setLatency(ms: number) {
			latency = ms;
		},
		setFailRule(fn: FailRule | null | undefined) {
			store.failRule = fn ?? initialFailRule;
		},
		advance(ms: number) {
			store.offset += ms;
			store.materialize();
		},
		finishAll() {
			store.finishAll();
		},
		finishTask(taskId: string) {
			const t = store.tasks.get(taskId);
			if (!t) throw new Error(`unknown task id: ${taskId}`);
			store.forceFinal(store.top(t));
			store.materialize();
		},
		setMaxPageSize(size: number | undefined) {
			maxPageSize = size ?? options.maxPageSize;
		},
		setAdvancePerFetch(ms: number) {
			advancePerFetch = ms;
		},
		setClockSkew(ms: number) {
			store.clockSkewMs = ms;
		},
		setVerification(taskId: string, status: 0 | 2 | 3 | 4 | 5) {
			const t = store.tasks.get(taskId);
			if (!t) throw new Error(`unknown task id: ${taskId}`);
			store.setVerification(t, status);
		},
		beforeFetch(hook: ((query: Record<string, string>) => void) | undefined) {
			store.beforeFetch = hook;
		},
		setFetchOrder(order: 'upload' | 'updated-desc') {
			store.fetchOrder = order;
		},
		tasks() {
			store.materialize();
			return store.all().map((t) => store.snapshot(t));
		},
		injectFault(fault: FaultRule) {
			faults.add(fault);
		},
		now() {
			return store.now();
		},
	};
	return emulator;
}
