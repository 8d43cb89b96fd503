// Shared pieces of the emulator's routes: business errors, request context, parameter checks.
import type { EmulatorCredential, ParserParams } from './types.ts';
import type { MultipartPart } from './multipart.ts';

export const MAX_FILE_BYTES = 104857600;
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

export class BizError extends Error {
	code: number;
	constructor(code: number, msg: string) {
		super(msg);
		this.code = code;
	}
}

/** DocFlow's answer to a bad parameter: code 40004 with what is wrong. */
export const bad = (msg: string) => new BizError(40004, msg);

export interface Reply {
	status: number;
	contentType: string;
	body: Buffer;
	code?: number;
	headers?: Record<string, string>;
}

export interface Ctx {
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

/** A route's answer that is not DocFlow's JSON envelope (a file download): sent as it is. */
export class RawReply {
	readonly reply: Reply;
	constructor(reply: Reply) {
		this.reply = reply;
	}
}

export function jsonReply(obj: Record<string, unknown>, status = 200): Reply {
	return {
		status,
		contentType: 'application/json; charset=utf-8',
		body: Buffer.from(JSON.stringify(obj)),
		code: typeof obj.code === 'number' ? obj.code : undefined,
	};
}

export function extOf(name: string): string {
	const i = name.lastIndexOf('.');
	return i >= 0 ? name.slice(i + 1).toLowerCase() : '';
}

export function boolParam(q: Record<string, string>, name: string): boolean | undefined {
	const v = q[name];
	if (v === undefined || v === '') return undefined;
	if (v === 'true') return true;
	if (v === 'false') return false;
	throw bad(`invalid ${name}: must be true or false`);
}

export function enumParam(q: Record<string, string>, name: string, allowed: string[]): string | undefined {
	const v = q[name];
	if (v === undefined || v === '') return undefined;
	if (!allowed.includes(v)) throw bad(`invalid ${name}: must be one of ${allowed.join(', ')}`);
	return v;
}

export function intParam(q: Record<string, string>, name: string, def: number, min: number, max: number): number {
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

export function parserParamsFromQuery(q: Record<string, string>): ParserParams {
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

export function parserParamsFromJson(v: unknown): ParserParams | undefined {
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

export function timeParam(q: Record<string, string>, name: string): number | undefined {
	const v = q[name];
	if (v === undefined || v === '') return undefined;
	const t = Date.parse(v);
	if (!RFC3339.test(v) || Number.isNaN(t)) throw bad(`invalid ${name}: must be RFC3339 (YYYY-MM-DDTHH:MM:SSZ)`);
	return t;
}

export function nameFromUrl(u: string): string {
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

