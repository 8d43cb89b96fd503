import { createHash, createHmac } from 'node:crypto';

/**
 * DocFlow's request signature (00-overview/auth.mdx): the secret code never goes over the wire,
 * only an HMAC over the method, path, sorted query and the sha256 of the exact body bytes.
 */
export interface SignatureInput {
	secretCode: string;
	/** Unix epoch seconds, sent as `x-ti-timestamp`. */
	timestamp: number;
	method: string;
	/** URL path only, no scheme, host or query. */
	path: string;
	/** Decoded query values exactly as the server will see them. */
	query: Record<string, string>;
	/** Lower-case hex sha256 of the raw body bytes (of nothing, for a request without body). */
	bodySha256: string;
}

export const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Parameter names in ASCII order, values not URL-encoded, joined with `&`. */
export function sortedQueryString(query: Record<string, string>): string {
	return Object.keys(query)
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
		.map((name) => `${name}=${query[name]}`)
		.join('&');
}

export function stringToSign(input: Omit<SignatureInput, 'secretCode' | 'timestamp'>): string {
	return [
		input.method.toUpperCase(),
		input.path,
		sortedQueryString(input.query),
		input.bodySha256,
	].join('\n');
}

export function signRequest(input: SignatureInput): string {
	const signingKey = createHmac('sha256', input.secretCode).update(String(input.timestamp)).digest();
	return createHmac('sha256', signingKey).update(stringToSign(input)).digest('hex');
}
