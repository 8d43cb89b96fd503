import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import type { CodeMessage } from './api.types';
import type { DocflowFailure } from './errors';

/**
 * What one HTTP answer from DocFlow (or its absence) means: success, a refusal DocFlow made
 * before doing anything (safe to send again), or an outcome that leaves open whether DocFlow
 * acted on the request. docflowRequest decides what to do with it.
 */

/** HTTP statuses DocFlow answers before doing anything, so any request may be sent again. */
const REFUSED_STATUSES = new Set([423, 429, 503]);
/** Statuses after which the request may or may not have been carried out. */
const UNCERTAIN_STATUSES = new Set([500, 502, 504]);
/** DocFlow's "system busy" business code: refused before processing. */
const BUSY_CODE = 900;
export const REFUSED_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** Network failures that another attempt cannot mend. */
const PERMANENT_NETWORK_CODES = new Set(['ENOTFOUND']);

const TRACE_HEADERS = ['x-ti-trace-id', 'x-trace-id', 'x-request-id', 'trace-id'];

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
	}
	return undefined;
}

function traceIdOf(headers: IDataObject | undefined, body: unknown): string | undefined {
	if (body && typeof body === 'object') {
		const b = body as Record<string, unknown>;
		for (const key of ['traceId', 'trace_id', 'x_request_id', 'requestId']) {
			if (typeof b[key] === 'string' && b[key] !== '') return b[key] as string;
		}
	}
	for (const name of TRACE_HEADERS) {
		const value = headerValue(headers, name);
		if (value) return value;
	}
	return undefined;
}

/** Retry-After in seconds, from either of its two forms. */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, (date - now) / 1000);
}

export function networkCodeOf(error: unknown): string {
	// n8n wraps the HTTP client's error; the socket's code sits on it or on its cause.
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const e = current as { code?: unknown; cause?: unknown; message?: unknown };
		if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
		if (typeof e.message === 'string') {
			if (/timeout of \d+ms exceeded|timed? ?out/i.test(e.message)) return 'ETIMEDOUT';
			if (/socket hang up/i.test(e.message)) return 'ECONNRESET';
		}
		current = e.cause;
	}
	return 'ECONNRESET';
}

/** Classifies one HTTP answer: the parsed success body, or why it failed. */
export function readAnswer(
	endpoint: string,
	response: IN8nHttpFullResponse,
): { ok: true; body: CodeMessage } | { ok: false; failure: DocflowFailure } {
	const status = response.statusCode;
	const raw =
		typeof response.body === 'string'
			? response.body
			: Buffer.isBuffer(response.body)
				? response.body.toString('utf8')
				: JSON.stringify(response.body ?? '');
	const headers = response.headers as IDataObject;
	const contentType = headerValue(headers, 'content-type') ?? '';
	let parsed: unknown;
	let bodyProblem: string | undefined;
	try {
		parsed = raw.trim() === '' ? undefined : JSON.parse(raw);
		if (parsed === undefined) bodyProblem = 'an empty body';
		else if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
			bodyProblem = 'JSON that is not an object';
	} catch {
		bodyProblem = /html/i.test(contentType) || /^\s*</.test(raw)
			? 'an HTML page instead of JSON'
			: /json/i.test(contentType)
				? 'JSON that breaks off (truncated)'
				: 'a body that is not JSON';
	}
	const body = (bodyProblem ? undefined : parsed) as Partial<CodeMessage> | undefined;
	const traceId = traceIdOf(headers, body);
	const retryAfterSeconds = parseRetryAfter(headerValue(headers, 'retry-after'));
	const code = typeof body?.code === 'number' ? body.code : Number(body?.code);
	const msg =
		typeof body?.msg === 'string'
			? body.msg
			: typeof (body as IDataObject | undefined)?.message === 'string'
				? ((body as IDataObject).message as string)
				: undefined;

	if (status >= 200 && status < 300 && !bodyProblem && code === 200) {
		return { ok: true, body: body as CodeMessage };
	}
	const failure: DocflowFailure = {
		endpoint,
		httpStatus: status,
		code: Number.isFinite(code) ? code : undefined,
		msg,
		traceId,
		retryAfterSeconds,
		accepted: 'no',
	};
	if (status >= 300 && status < 400) {
		// Only where it pointed, never its query: a hostile server could echo a header back there.
		const location = headerValue(headers, 'location');
		failure.redirect = { from: '', to: location ? originAndPath(location) : '' };
		return { ok: false, failure };
	}
	if (status >= 200 && status < 300) {
		if (bodyProblem) {
			failure.bodyProblem = bodyProblem;
			// A 200 whose body we cannot read may well have been carried out.
			failure.accepted = 'unknown';
		} else if (!Number.isFinite(code)) {
			failure.bodyProblem = 'JSON without a result code';
			failure.accepted = 'unknown';
		}
		return { ok: false, failure };
	}
	if (bodyProblem) failure.bodyProblem = bodyProblem;
	if (UNCERTAIN_STATUSES.has(status)) failure.accepted = 'unknown';
	return { ok: false, failure };
}

export function isTransient(f: DocflowFailure): boolean {
	if (f.networkCode) return !PERMANENT_NETWORK_CODES.has(f.networkCode);
	if (f.httpStatus !== undefined && (REFUSED_STATUSES.has(f.httpStatus) || UNCERTAIN_STATUSES.has(f.httpStatus)))
		return true;
	if (f.code === BUSY_CODE) return true;
	// A 200 that broke off mid-body: the next attempt may well get the whole answer.
	return f.httpStatus === 200 && f.bodyProblem !== undefined;
}

/** An address without its query, fragment or user info: safe to show in an error. */
export function originAndPath(url: string, base?: string): string {
	try {
		const parsed = new URL(url, base);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return url.replace(/[?#].*$/, '').slice(0, 200);
	}
}

/** A file DocFlow sent (a download), with what its headers say about it. */
export interface DownloadedFile {
	data: Buffer;
	contentType?: string;
	contentDisposition?: string;
}

function bodyBytes(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.alloc(0);
}

/**
 * Classifies the answer to a download: the file, or why there is none. DocFlow sends its
 * errors as JSON also where a file is expected (and a proxy may send an HTML page), so any
 * answer that is not a 2xx file goes through readAnswer and fails with DocFlow's code and
 * message. `check` tells a damaged file (e.g. a ZIP cut off mid-way) from a whole one; such a
 * body counts as an answer that broke off, which a read may fetch again.
 */
export function readDownload(
	endpoint: string,
	response: IN8nHttpFullResponse,
	check?: (data: Buffer) => string | undefined,
): { ok: true; file: DownloadedFile } | { ok: false; failure: DocflowFailure } {
	const data = bodyBytes(response.body);
	const headers = response.headers as IDataObject;
	const contentType = headerValue(headers, 'content-type');
	const status = response.statusCode;
	const looksLikeJson =
		/json/i.test(contentType ?? '') ||
		(!/zip|octet-stream|pdf|image\//i.test(contentType ?? '') && /^\s*[{[]/.test(data.subarray(0, 64).toString('latin1')));
	const isHtml = /html/i.test(contentType ?? '');
	if (status < 200 || status >= 300 || looksLikeJson || isHtml) {
		const answer = readAnswer(endpoint, { ...response, body: data });
		if (!answer.ok) return answer;
		// A JSON “success” where the file should be: there is nothing to save.
		return {
			ok: false,
			failure: {
				endpoint,
				httpStatus: status,
				traceId: traceIdOf(headers, answer.body),
				accepted: 'unknown',
				bodyProblem: 'a JSON answer instead of the file',
			},
		};
	}
	const problem = data.length === 0 ? 'an empty file' : check?.(data);
	if (problem) {
		return {
			ok: false,
			failure: { endpoint, httpStatus: status, traceId: traceIdOf(headers, undefined), accepted: 'unknown', bodyProblem: problem },
		};
	}
	return {
		ok: true,
		file: { data, contentType, contentDisposition: headerValue(headers, 'content-disposition') },
	};
}
