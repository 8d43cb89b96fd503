// Test-side HTTP helpers (a client written independently from the emulator, following auth.mdx).
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import FormData from 'form-data';

export const PREFIX = '/api/app-api/sip/platform/v2/';
export const APP_ID = 'demo-app-id';
export const SECRET = 'demo-secret-code';
export const WS = '1234567890';

export const agent = new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 });

export type AuthMode = 'simple' | 'signature' | 'none';

export interface CallOptions {
	query?: Record<string, string | number | boolean>;
	headers?: Record<string, string>;
	body?: Buffer | string;
	json?: unknown;
	form?: FormData;
	auth?: AuthMode;
	appId?: string;
	secret?: string;
	timestamp?: number;
	headersTimeout?: number;
}

export interface CallResult {
	status: number;
	headers: Record<string, string>;
	text: string;
	json: any;
	ms: number;
}

/** signature = hex(HMAC(HMAC(secret, ts), METHOD\npath\nsorted decoded query\nsha256(body))) */
export function sign(secret: string, ts: number, method: string, path: string, query: Record<string, string>, body: Buffer): string {
	const sorted = Object.keys(query)
		.sort()
		.map((k) => `${k}=${query[k]}`)
		.join('&');
	const bodyHash = createHash('sha256').update(body).digest('hex');
	const key = createHmac('sha256', secret).update(String(ts)).digest();
	return createHmac('sha256', key).update(`${method}\n${path}\n${sorted}\n${bodyHash}`).digest('hex');
}

export function sha256(b: Buffer | string): string {
	return createHash('sha256').update(b).digest('hex');
}

export async function call(baseUrl: string, method: string, endpoint: string, o: CallOptions = {}): Promise<CallResult> {
	const path = endpoint.startsWith('/') ? endpoint : PREFIX + endpoint;
	const query: Record<string, string> = {};
	for (const [k, v] of Object.entries(o.query ?? {})) query[k] = String(v);
	const qs = Object.entries(query)
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
		.join('&');
	const headers: Record<string, string> = {};
	let body: Buffer | undefined;
	if (o.form) {
		body = o.form.getBuffer();
		Object.assign(headers, o.form.getHeaders());
	} else if (o.json !== undefined) {
		body = Buffer.from(JSON.stringify(o.json));
		headers['content-type'] = 'application/json';
	} else if (o.body !== undefined) {
		body = Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body);
	}
	const mode = o.auth ?? 'simple';
	if (mode === 'simple') {
		headers['x-ti-app-id'] = o.appId ?? APP_ID;
		headers['x-ti-secret-code'] = o.secret ?? SECRET;
	} else if (mode === 'signature') {
		const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
		headers['x-ti-app-id'] = o.appId ?? APP_ID;
		headers['x-ti-timestamp'] = String(ts);
		headers['x-ti-signature'] = sign(o.secret ?? SECRET, ts, method, path, query, body ?? Buffer.alloc(0));
	}
	Object.assign(headers, o.headers ?? {});
	const started = Date.now();
	const res = await request(baseUrl + path + (qs ? '?' + qs : ''), {
		method: method as 'GET',
		headers,
		body,
		dispatcher: agent,
		headersTimeout: o.headersTimeout,
	});
	const text = await res.body.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const h: Record<string, string> = {};
	for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
	return { status: res.statusCode, headers: h, text, json, ms: Date.now() - started };
}

export function form(files: Array<{ name: string; data: Buffer | string; contentType?: string }>): FormData {
	const f = new FormData();
	for (const file of files) {
		f.append('file', Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data), {
			filename: file.name,
			contentType: file.contentType ?? 'application/octet-stream',
		});
	}
	return f;
}

/** A small in-memory "PDF" with binary content that contains CRLF and dashes. */
export function fakePdf(seed: string): Buffer {
	return Buffer.concat([
		Buffer.from('%PDF-1.4\r\n--\r\n--not-a-boundary\r\n'),
		Buffer.from(seed),
		Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]),
		Buffer.from('\r\n%%EOF'),
	]);
}
