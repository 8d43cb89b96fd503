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
	ParserParams,
	RecordedAuth,
	RecordedRequest,
	UploadOptions,
} from './types.ts';
import { getBoundary, parseMultipart, type MultipartPart } from './multipart.ts';
import { sha256Hex, verifySignature } from './signature.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_WORKSPACES } from './data.ts';
import { FINAL_STATUSES, TaskStore, defaultFailRule, newId, type TaskRec } from './state.ts';
import { FaultQueue } from './faults.ts';

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

export const API_PREFIX = '/api/app-api/sip/platform/v2/';
export const MAX_FILE_BYTES = 104857600;
/** Bodies above this are drained but not buffered. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;
export const SUPPORTED_FORMATS = ['pdf', 'ofd', 'doc', 'docx', 'txt', 'xls', 'xlsx', 'jpeg', 'jpg', 'png', 'tiff', 'tif'];

export const MSG = {
	AUTH_EMPTY: 'x-ti-app-id or x-ti-secret-code is empty',
	AUTH_INVALID: 'invalid x-ti-app-id or x-ti-secret-code',
	SIGNATURE_MISMATCH: 'invalid signature: signature mismatch',
	SIGNATURE_EXPIRED: 'invalid signature: x-ti-timestamp expired or invalid',
	NO_ENTERPRISE_PERMISSION: 'no permission for this enterprise',
	WORKSPACE_NOT_FOUND: '工作空间不存在',
	TASK_NOT_FOUND: 'task not found',
	CHILD_RETRY: '子任务不支持重试，请重试其父任务',
	TASK_PROCESSING: '任务处理中，暂不支持重试',
};

class BizError extends Error {
	code: number;
	constructor(code: number, msg: string) {
		super(msg);
		this.code = code;
	}
}

const bad = (msg: string) => new BizError(40004, msg);

interface Reply {
	status: number;
	contentType: string;
	body: Buffer;
	code?: number;
	headers?: Record<string, string>;
}

interface Ctx {
	method: string;
	path: string;
	endpoint: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: Buffer;
	overflow: boolean;
	json?: unknown;
	jsonError?: string;
	parts?: MultipartPart[];
	multipartError?: string;
	cred: EmulatorCredential;
	enterprises: string[];
	enterpriseHeader?: string;
}

function jsonReply(obj: Record<string, unknown>, status = 200): Reply {
	return {
		status,
		contentType: 'application/json; charset=utf-8',
		body: Buffer.from(JSON.stringify(obj)),
		code: typeof obj.code === 'number' ? obj.code : undefined,
	};
}

function extOf(name: string): string {
	const i = name.lastIndexOf('.');
	return i >= 0 ? name.slice(i + 1).toLowerCase() : '';
}

function boolParam(q: Record<string, string>, name: string): boolean | undefined {
	const v = q[name];
	if (v === undefined || v === '') return undefined;
	if (v === 'true') return true;
	if (v === 'false') return false;
	throw bad(`invalid ${name}: must be true or false`);
}

function enumParam(q: Record<string, string>, name: string, allowed: string[]): string | undefined {
	const v = q[name];
	if (v === undefined || v === '') return undefined;
	if (!allowed.includes(v)) throw bad(`invalid ${name}: must be one of ${allowed.join(', ')}`);
	return v;
}

function intParam(q: Record<string, string>, name: string, def: number, min: number, max: number): number {
	const v = q[name];
	if (v === undefined || v === '') return def;
	if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw bad(`invalid ${name}: must be an integer between ${min} and ${max}`);
	return Number(v);
}

const PARSER_RULES: Record<string, { query: string; values?: Array<number | string> }> = {
	remove_watermark: { query: 'parser_remove_watermark', values: [0, 1] },
	crop_dewarp: { query: 'parser_crop_dewarp', values: [0, 1] },
	apply_merge: { query: 'parser_apply_merge', values: [0, 1] },
	table_text_split_mode: { query: 'parser_table_text_split_mode', values: [0, 1] },
	formula_level: { query: 'parser_formula_level', values: [0, 1, 2] },
	dpi: { query: 'parser_dpi', values: [144, 216] },
	parse_mode: { query: 'parser_parse_mode', values: ['auto', 'scan', 'vlm'] },
	pdf_pwd: { query: 'parser_pdf_pwd' },
};

function parserParamsFromQuery(q: Record<string, string>): ParserParams {
	const out: Record<string, unknown> = {};
	for (const [key, rule] of Object.entries(PARSER_RULES)) {
		const v = q[rule.query];
		if (v === undefined || v === '') continue;
		if (!rule.values) {
			out[key] = v;
			continue;
		}
		const numeric = typeof rule.values[0] === 'number';
		const parsed = numeric ? (/^\d+$/.test(v) ? Number(v) : NaN) : v;
		if (!rule.values.includes(parsed)) throw bad(`invalid ${rule.query}: must be one of ${rule.values.join(', ')}`);
		out[key] = parsed;
	}
	return out as ParserParams;
}

function parserParamsFromJson(v: unknown): ParserParams | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'object' || Array.isArray(v)) throw bad('invalid parser_params: must be an object');
	const out: Record<string, unknown> = {};
	for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
		const rule = PARSER_RULES[k];
		if (!rule) throw bad(`invalid parser_params: unknown field ${k}`);
		if (!rule.values) {
			if (typeof val !== 'string') throw bad(`invalid parser_params.${k}: must be a string`);
		} else if (!rule.values.includes(val as number | string)) {
			throw bad(`invalid parser_params.${k}: must be one of ${rule.values.join(', ')}`);
		}
		out[k] = val;
	}
	return out as ParserParams;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function timeParam(q: Record<string, string>, name: string): number | undefined {
	const v = q[name];
	if (v === undefined || v === '') return undefined;
	const t = Date.parse(v);
	if (!RFC3339.test(v) || Number.isNaN(t)) throw bad(`invalid ${name}: must be RFC3339 (YYYY-MM-DDTHH:MM:SSZ)`);
	return t;
}

function nameFromUrl(u: string): string {
	let p: string;
	try {
		p = new URL(u).pathname;
	} catch {
		throw bad(`invalid url: ${u}`);
	}
	const seg =
		p
			.split('/')
			.filter((s) => s.length > 0)
			.pop() ?? '';
	try {
		return decodeURIComponent(seg);
	} catch {
		return seg;
	}
}

export async function startDocflowEmulator(options: EmulatorOptions = {}): Promise<DocflowEmulator> {
	const credentials: EmulatorCredential[] = (options.credentials ?? DEFAULT_CREDENTIALS).map((c) => ({
		...c,
		enterpriseIds: [...c.enterpriseIds],
	}));
	const workspaces: EmulatorWorkspace[] = structuredClone(options.workspaces ?? DEFAULT_WORKSPACES);
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

	// ---------- handlers ----------
	function handleToken(): Record<string, unknown> {
		return { token: randomBytes(24).toString('hex'), expiry: Math.floor(store.now() / 1000) + 86400 };
	}

	function handleWorkspaceList(ctx: Ctx): Record<string, unknown> {
		const ent = ctx.query.enterprise_id;
		if (!ent) throw bad('enterprise_id is required');
		if (!/^\d+$/.test(ent)) throw bad('invalid enterprise_id: must be an integer');
		if (!ctx.enterprises.includes(ent)) throw new BizError(40301, MSG.NO_ENTERPRISE_PERMISSION);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		const pageSize = intParam(ctx.query, 'page_size', 20, 1, 1000);
		const all = workspaces.filter((w) => w.enterprise_id === ent);
		return {
			total: all.length,
			page,
			page_size: pageSize,
			workspaces: all.slice((page - 1) * pageSize, page * pageSize).map((w) => ({
				workspace_id: w.workspace_id,
				name: w.name,
				description: `${w.name} workspace (emulator)`,
				auth_scope: 1,
				manage_account_id: `admin_${w.enterprise_id}`,
				manage_account_name: 'Demo Admin',
				callback_url: '',
				callback_retry_time: 0,
			})),
		};
	}

	function handleCategoryList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		const pageSize = intParam(ctx.query, 'page_size', 20, 1, 100);
		const enabled = enumParam(ctx.query, 'enabled', ['all', '1', '0', '2']) ?? '1';
		const all = ws.categories.filter((c) => enabled === 'all' || c.enabled === enabled);
		return {
			total: all.length,
			page,
			page_size: pageSize,
			categories: all.slice((page - 1) * pageSize, page * pageSize).map((c) => ({
				id: c.id,
				name: c.name,
				description: c.description ?? '',
				category_prompt: c.description ?? '',
				extract_model: c.extract_model ?? 'Acgpt',
				enabled: Number(c.enabled),
			})),
		};
	}

	function handleUpload(ctx: Ctx, sync: boolean): Record<string, unknown> {
		const q = ctx.query;
		const ws = requireWorkspace(ctx, q.workspace_id);
		const opts: UploadOptions = {};
		const avv = boolParam(q, 'auto_verify_vat');
		if (avv !== undefined) opts.auto_verify_vat = avv;
		const split = boolParam(q, 'split_flag');
		if (split !== undefined) opts.split_flag = split;
		const crop = boolParam(q, 'crop_flag');
		if (crop !== undefined) opts.crop_flag = crop;
		const tp = enumParam(q, 'target_process', ['classify', 'extract']);
		if (tp) opts.target_process = tp as 'classify' | 'extract';
		if (sync) {
			const w = boolParam(q, 'with_task_detail_url');
			if (w !== undefined) opts.with_task_detail_url = w;
		}
		const parserParams = parserParamsFromQuery(q);
		if (q.category !== undefined && q.category !== '') {
			if (!ws.categories.some((c) => c.name === q.category && c.enabled === '1')) throw bad(`category does not exist: ${q.category}`);
			opts.category = q.category;
		}
		if (ctx.overflow) throw bad('request body too large');

		const ct = (ctx.headers['content-type'] ?? '').toLowerCase();
		const files: Array<{ name: string; format: string; size: number; sha256?: string; url?: string; source: 'multipart' | 'url' }> = [];
		if (ct.startsWith('multipart/form-data')) {
			if (ctx.multipartError) throw bad(`invalid multipart body: ${ctx.multipartError}`);
			const parts = (ctx.parts ?? []).filter((p) => p.name === 'file');
			if (parts.length === 0) throw bad('file is required');
			for (const p of parts) {
				// As many servers' multipart handling does: only what follows the last / or \ is kept.
				const fn = p.filename?.slice(Math.max(p.filename.lastIndexOf('/'), p.filename.lastIndexOf('\\')) + 1);
				if (fn === undefined || fn === '') throw bad('file part has no filename');
				const ext = extOf(fn);
				if (p.data.length === 0) throw bad(`file is empty: ${fn}`);
				if (p.data.length > MAX_FILE_BYTES) throw bad(`file too large: ${fn} (${p.data.length} bytes, max 100MB)`);
				if (!SUPPORTED_FORMATS.includes(ext)) throw bad(`unsupported file format: ${fn} (supported: ${SUPPORTED_FORMATS.join(', ')})`);
				files.push({ name: fn, format: ext, size: p.data.length, sha256: sha256Hex(p.data), source: 'multipart' });
			}
		} else if (ct.includes('json')) {
			if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
			const urls = (ctx.json as { urls?: unknown } | undefined)?.urls;
			if (!Array.isArray(urls) || urls.length === 0) throw bad('urls is required');
			if (urls.length > 10) throw bad(`too many urls: ${urls.length} (at most 10 per upload)`);
			for (const u of urls) {
				if (typeof u !== 'string' || !/^https?:\/\/.+/i.test(u))
					throw bad(`invalid url: ${String(u)} (must start with http:// or https://)`);
				const name = nameFromUrl(u);
				const ext = extOf(name);
				if (!SUPPORTED_FORMATS.includes(ext))
					throw bad(`unsupported file format: ${name || u} (supported: ${SUPPORTED_FORMATS.join(', ')})`);
				files.push({ name, format: ext, size: 0, url: u, source: 'url' });
			}
		} else {
			throw bad('file is required');
		}

		const batch = q.batch_number ? q.batch_number : newId();
		const created: TaskRec[] = files.map((f) =>
			store.add({
				taskId: newId(),
				fileId: newId(),
				batchNumber: batch,
				workspaceId: ws.workspace_id,
				enterpriseId: ctx.enterpriseHeader,
				name: f.name,
				format: f.format,
				size: f.size,
				sha256: f.sha256,
				url: f.url,
				source: f.source,
				uploadQuery: { ...q },
				options: opts,
				parserParams: { ...parserParams },
				taskType: opts.split_flag || opts.crop_flag ? 2 : 1,
			}),
		);
		if (!sync) {
			return { batch_number: batch, files: created.map((t) => ({ id: t.fileId, task_id: t.taskId, name: t.name, format: t.format })) };
		}
		for (const t of created) store.forceFinal(t);
		store.materialize();
		return {
			total: created.length,
			page: 1,
			page_size: created.length,
			files: created.map((t) => store.render(t, { withDocument: false, withTaskDetailUrl: !!opts.with_task_detail_url, baseUrl })),
		};
	}

	function handleFetch(ctx: Ctx): Record<string, unknown> {
		const q = ctx.query;
		const ws = requireWorkspace(ctx, q.workspace_id);
		const page = intParam(q, 'page', 1, 1, 1_000_000_000);
		// A server may hand out fewer files per page than asked for (maxPageSize); page_size says how many it did.
		const pageSize = Math.min(intParam(q, 'page_size', 1000, 1, 1000), maxPageSize ?? 1000);
		const rs = enumParam(q, 'recognition_status', ['0', '1', '2', '3', '4', '5', '6', '7', '10', '20']);
		const vs = enumParam(q, 'verification_status', ['0', '2', '3', '4', '5']);
		const start = timeParam(q, 'start_time');
		const end = timeParam(q, 'end_time');
		const withDocument = !!boolParam(q, 'with_document');
		const withUrl = !!boolParam(q, 'with_task_detail_url');
		const render = { withDocument, withTaskDetailUrl: withUrl, baseUrl };

		const matches = (t: TaskRec) => {
			if (q.batch_number && t.batchNumber !== q.batch_number) return false;
			if (q.file_id && t.fileId !== q.file_id) return false;
			if (q.task_id && t.taskId !== q.task_id) return false;
			if (q.category && store.category(t) !== q.category) return false;
			if (rs !== undefined && store.status(t) !== Number(rs)) return false;
			if (vs !== undefined && Number(vs) !== 0) return false;
			const ut = store.updateTime(t);
			if (start !== undefined && ut < start) return false;
			if (end !== undefined && ut > end) return false;
			return true;
		};
		const inWs = store.all().filter((t) => t.workspaceId === ws.workspace_id);
		let list: TaskRec[];
		const child = inWs.find((t) => t.parentTaskId && ((q.task_id && t.taskId === q.task_id) || (q.file_id && t.fileId === q.file_id)));
		if (child) list = [child].filter(matches);
		else list = inWs.filter((t) => !t.parentTaskId).filter(matches);
		return {
			total: list.length,
			page,
			page_size: pageSize,
			files: list.slice((page - 1) * pageSize, page * pageSize).map((t) => store.render(t, render)),
		};
	}

	function handleRetry(ctx: Ctx): undefined {
		if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
		const body = ctx.json;
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('workspace_id is required');
		const b = body as Record<string, unknown>;
		const ws = requireWorkspace(ctx, b.workspace_id);
		if (b.task_id === undefined || b.task_id === null || b.task_id === '') throw bad('task_id is required');
		const pp = parserParamsFromJson(b.parser_params);
		const t = store.tasks.get(String(b.task_id));
		if (!t || t.workspaceId !== ws.workspace_id) throw new BizError(40004, MSG.TASK_NOT_FOUND);
		if (t.parentTaskId || t.taskType === 0 || t.taskType === 3) throw new BizError(40005, MSG.CHILD_RETRY);
		if (!(FINAL_STATUSES as number[]).includes(store.status(t))) throw new BizError(40006, MSG.TASK_PROCESSING);
		store.restart(t, pp);
		return undefined;
	}

	const ROUTES: Record<string, { method: string; run: (ctx: Ctx) => Record<string, unknown> | undefined }> = {
		'auth/token': { method: 'GET', run: () => handleToken() },
		'workspace/list': { method: 'GET', run: handleWorkspaceList },
		'category/list': { method: 'GET', run: handleCategoryList },
		'file/upload': { method: 'POST', run: (c) => handleUpload(c, false) },
		'file/upload/sync': { method: 'POST', run: (c) => handleUpload(c, true) },
		'file/fetch': { method: 'GET', run: handleFetch },
		'file/retry': { method: 'POST', run: handleRetry },
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
				const result = route.run(ctx);
				store.materialize();
				reply = jsonReply(result === undefined ? { code: 200, msg: 'success' } : { code: 200, msg: 'success', result });
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
