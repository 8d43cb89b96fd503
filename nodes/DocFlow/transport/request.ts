import type {
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { REFUSED_NETWORK_CODES, isTransient, networkCodeOf, originAndPath, readAnswer, readDownload } from './answers';
import { API_PREFIX } from './api.types';
import type { Endpoint } from './api.types';
import { cancelSignalOf, pause, throwIfCancelled } from './cancellation';
import { BODY_SHA256, CREDENTIAL_TYPE, docflowBaseUrl } from './credentials';
import { DocflowApiError, itemError } from './errors';
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

const DEFAULT_RETRY: RetrySettings = {
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
	/**
	 * A file download: the body is kept as bytes and the request resolves with a DownloadedFile
	 * (see readDownload; a JSON error still becomes a DocflowApiError). `accept` is the Accept
	 * header; `check` names what is wrong with a damaged file (e.g. a ZIP cut off), so it is
	 * fetched again like an answer that broke off.
	 */
	download?: { accept: string; check?: (data: Buffer) => string | undefined };
}

function backoffMs(attempt: number, settings: RetrySettings, retryAfterSeconds?: number): number {
	if (retryAfterSeconds !== undefined) return Math.ceil(retryAfterSeconds * 1000);
	const exponential = settings.baseDelayMs * 2 ** (attempt - 1);
	// Full jitter on the upper half: spreads items that failed together without ever
	// waiting less than half the step.
	return Math.round(exponential / 2 + Math.random() * (exponential / 2));
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
		throw itemError(this.getNode(), 'The DocFlow credential has no valid Base URL', {
			description:
				'With Region “Private Deployment”, set Base URL in the DocFlow API credential to the address of your DocFlow, e.g. https://docflow.example.com.',
			itemIndex: request.itemIndex,
		});
	}
	const url = `${API_PREFIX}${request.endpoint}`;

	const qs: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.qs ?? {})) {
		if (value !== undefined && value !== '') qs[name] = String(value);
	}
	const headers: Record<string, string> = { Accept: request.download?.accept ?? 'application/json' };
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
					// Bytes for a file: decoding it as text would mangle it.
					encoding: request.download ? 'arraybuffer' : 'text',
					json: false,
				},
			)) as IN8nHttpFullResponse;
			if (request.download) {
				const download = readDownload(request.endpoint, response, request.download.check);
				if (download.ok) return download.file as T;
				failure = download.failure;
			} else {
				const answer = readAnswer(request.endpoint, response);
				if (answer.ok) return answer.body.result as T;
				failure = answer.failure;
			}
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
