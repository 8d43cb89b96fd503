import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { API_PREFIX } from './api.types';
import type { CodeMessage, Endpoint } from './api.types';
import { cancelSignalOf, pause, throwIfCancelled } from './cancellation';
import { BODY_SHA256, CREDENTIAL_TYPE, docflowBaseUrl } from './credentials';
import { DocflowApiError } from './errors';
import type { DocflowFailure } from './errors';
import type { MultipartBody } from './multipart';

/** Every context the node runs in: an execution, a trigger's poll or hook, an editor picker. */
export type DocflowContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions;

/** How hard the node tries before it gives up on a request. */
export interface RetrySettings {
	/** Per attempt, in milliseconds. */
	timeoutMs: number;
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/**
	 * Time from the first attempt's start after which no new attempt starts, attempts and waits
	 * between them included, in milliseconds.
	 */
	maxRetryTimeMs: number;
	/** First backoff step; doubles per attempt, with jitter. */
	baseDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
	timeoutMs: 120_000,
	maxAttempts: 5,
	maxRetryTimeMs: 120_000,
	baseDelayMs: 500,
};

/**
 * The attempts of one request, kept across the resends a caller makes after checking that
 * DocFlow did not get it (sendVerified), so attempts, backoff and Max Retry Time add up over
 * all of them rather than starting afresh each round.
 */
export class Attempts {
	readonly settings: RetrySettings;

	readonly startedAt = Date.now();

	count = 0;

	constructor(settings: Partial<RetrySettings> = {}) {
		this.settings = { ...DEFAULT_RETRY, ...settings };
	}

	/** How long to wait before the next attempt, or undefined when none may be made. */
	nextDelayMs(retryAfterSeconds?: number): number | undefined {
		if (this.count >= this.settings.maxAttempts) return undefined;
		const delay = backoffMs(this.count, this.settings, retryAfterSeconds);
		const elapsed = Date.now() - this.startedAt;
		return elapsed + delay <= this.settings.maxRetryTimeMs ? delay : undefined;
	}
}

export interface DocflowRequest {
	method: 'GET' | 'POST';
	endpoint: Endpoint;
	qs?: Record<string, string | number | boolean | undefined>;
	json?: unknown;
	multipart?: MultipartBody;
	/** The item the request is for, so errors name it. */
	itemIndex?: number;
	/**
	 * 'always': the request has no side effect (reads) and is resent on any transient failure.
	 * 'if-not-accepted': resent only when DocFlow provably did not act on it; when that is
	 * unknown the error says so (`docflow.accepted === 'unknown'`) and the caller decides
	 * (see sendVerified).
	 */
	resend: 'always' | 'if-not-accepted';
	retry?: Partial<RetrySettings>;
	/** Attempts made so far for the same request (sendVerified's resends); new when absent. */
	attempts?: Attempts;
}

/** HTTP statuses DocFlow answers before doing anything, so any request may be sent again. */
const REFUSED_STATUSES = new Set([423, 429, 503]);
/** Statuses after which the request may or may not have been carried out. */
const UNCERTAIN_STATUSES = new Set([500, 502, 504]);
/** DocFlow's "system busy" business code: refused before processing. */
const BUSY_CODE = 900;
const REFUSED_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
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
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, (date - now) / 1000);
}

function networkCodeOf(error: unknown): string {
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

function isTransient(f: DocflowFailure): boolean {
	if (f.networkCode) return !PERMANENT_NETWORK_CODES.has(f.networkCode);
	if (f.httpStatus !== undefined && (REFUSED_STATUSES.has(f.httpStatus) || UNCERTAIN_STATUSES.has(f.httpStatus)))
		return true;
	if (f.code === BUSY_CODE) return true;
	// A 200 that broke off mid-body: the next attempt may well get the whole answer.
	return f.httpStatus === 200 && f.bodyProblem !== undefined;
}

function backoffMs(attempt: number, settings: RetrySettings, retryAfterSeconds?: number): number {
	if (retryAfterSeconds !== undefined) return Math.ceil(retryAfterSeconds * 1000);
	const exponential = settings.baseDelayMs * 2 ** (attempt - 1);
	// Full jitter on the upper half: spreads items that failed together without ever
	// waiting less than half the step.
	return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/** An address without its query, fragment or user info: safe to show in an error. */
function originAndPath(url: string, base?: string): string {
	try {
		const parsed = new URL(url, base);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return url.replace(/[?#].*$/, '').slice(0, 200);
	}
}

/**
 * The one way the node talks to DocFlow: base URL from the credential, authentication by
 * n8n (`httpRequestWithAuthentication` → the credential's `authenticate`), a timeout,
 * retries with backoff where they are safe, and every failure turned into a DocflowApiError
 * that carries DocFlow's code, msg and trace ID but nothing of the credential.
 *
 * Redirects are never followed: the credential's headers would go to the other origin and the
 * HTTP client would hold the whole upload in memory to replay it. A stopped execution aborts
 * the request in flight and every wait, and nothing is sent after it.
 */
export async function docflowRequest<T = unknown>(
	this: DocflowContext,
	request: DocflowRequest,
): Promise<T> {
	const attempts = request.attempts ?? new Attempts(request.retry);
	const settings = attempts.settings;
	const signal = cancelSignalOf(this);
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseURL = docflowBaseUrl(credentials);
	if (!/^https?:\/\/[^/\s]+/i.test(baseURL)) {
		throw new NodeOperationError(
			this.getNode(),
			`The DocFlow credential has no valid Base URL${request.itemIndex === undefined ? '' : ` [item ${request.itemIndex}]`}`,
			{
				description:
					'With Region “Private Deployment”, set Base URL in the DocFlow API credential to the address of your DocFlow, e.g. https://docflow.example.com.',
				itemIndex: request.itemIndex,
			},
		);
	}
	const url = `${API_PREFIX}${request.endpoint}`;

	const qs: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.qs ?? {})) {
		if (value !== undefined && value !== '') qs[name] = String(value);
	}
	const headers: Record<string, string> = { Accept: 'application/json' };
	let body: IHttpRequestOptions['body'];
	if (request.multipart) {
		headers['Content-Type'] = request.multipart.type;
		body = request.multipart as unknown as IHttpRequestOptions['body'];
		if (credentials.authentication === 'signature') {
			// Hashed once for all attempts: the bytes are the same every time.
			(request.multipart as unknown as Record<symbol, string>)[BODY_SHA256] ??= await request.multipart
				.sha256()
				.catch((error: Error) => {
					throw request.multipart!.readError(this.getNode(), request.itemIndex) ?? error;
				});
		}
	} else if (request.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		// A string, so the signature hashes exactly the bytes that are sent.
		body = JSON.stringify(request.json);
	}

	for (;;) {
		throwIfCancelled(this, signal, request.itemIndex);
		attempts.count++;
		let failure: DocflowFailure;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				{
					method: request.method,
					baseURL,
					url,
					qs,
					headers: { ...headers },
					body,
					timeout: settings.timeoutMs,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					abortSignal: signal,
					encoding: 'text',
					json: false,
				},
			)) as IN8nHttpFullResponse;
			const answer = readAnswer(request.endpoint, response);
			if (answer.ok) return answer.body.result as T;
			failure = answer.failure;
			if (failure.redirect) {
				failure.redirect = {
					from: originAndPath(`${baseURL}${url}`),
					to: failure.redirect.to && originAndPath(failure.redirect.to, baseURL),
				};
			}
		} catch (error) {
			// A stopped execution aborts the request: never retried, never reported as a network failure.
			throwIfCancelled(this, signal, request.itemIndex);
			// A file that could not be read from n8n's binary storage is not DocFlow's failure.
			const readError = request.multipart?.readError(this.getNode(), request.itemIndex);
			if (readError) throw readError;
			const networkCode = networkCodeOf(error);
			failure = {
				endpoint: request.endpoint,
				networkCode,
				// Only a connection that never opened proves DocFlow saw nothing.
				accepted: REFUSED_NETWORK_CODES.has(networkCode) ? 'no' : 'unknown',
			};
		}
		failure.attempts = attempts.count;

		const mayResend =
			isTransient(failure) && (request.resend === 'always' || failure.accepted === 'no');
		const delay = mayResend ? attempts.nextDelayMs(failure.retryAfterSeconds) : undefined;
		if (delay === undefined) {
			throw new DocflowApiError(this.getNode(), failure, request.itemIndex);
		}
		this.logger?.debug?.(
			`DocFlow ${request.endpoint}: attempt ${attempts.count} failed (${failure.networkCode ?? failure.httpStatus ?? ''}${failure.code !== undefined ? ` code ${failure.code}` : ''}), retrying in ${delay} ms`,
		);
		await pause(delay, signal);
	}
}
