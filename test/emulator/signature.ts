// DocFlow signature authentication (own implementation, following 00-overview/auth.mdx).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Query pairs sorted by name (ASCII, stable), `name=value` with decoded values, joined with '&'. */
export function sortedQuery(pairs: Array<[string, string]>): string {
	return pairs
		.map((p, i) => ({ p, i }))
		.sort((a, b) => (a.p[0] < b.p[0] ? -1 : a.p[0] > b.p[0] ? 1 : a.i - b.i))
		.map(({ p }) => `${p[0]}=${p[1]}`)
		.join('&');
}

export function stringToSign(method: string, path: string, sortedQ: string, bodySha256: string): string {
	return `${method.toUpperCase()}\n${path}\n${sortedQ}\n${bodySha256}`;
}

export function computeSignature(secretCode: string, timestamp: string, toSign: string): string {
	const signingKey = createHmac('sha256', secretCode).update(timestamp).digest();
	return createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
	const ba = Buffer.from(a);
	const bb = Buffer.from(b);
	return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Splits a raw query string into decoded pairs (form semantics: '+' is a space). */
export function decodeQueryPairs(rawQuery: string): Array<[string, string]> {
	return [...new URLSearchParams(rawQuery)].map(([k, v]) => [k, v] as [string, string]);
}

/** Raw (still encoded) query pairs, used only to diagnose client mistakes. */
export function rawQueryPairs(rawQuery: string): Array<[string, string]> {
	if (!rawQuery) return [];
	return rawQuery
		.split('&')
		.filter((s) => s.length > 0)
		.map((s) => {
			const i = s.indexOf('=');
			return (i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)]) as [string, string];
		});
}

export interface SignatureCheck {
	ok: boolean;
	expected: string;
	stringToSign: string;
	/** when the signature did not match: which common client mistake would have produced it */
	hint?: string;
}

export function verifySignature(args: {
	secretCode: string;
	timestamp: string;
	signature: string;
	method: string;
	path: string;
	rawQuery: string;
	bodySha256: string;
}): SignatureCheck {
	const pairs = decodeQueryPairs(args.rawQuery);
	const sts = stringToSign(args.method, args.path, sortedQuery(pairs), args.bodySha256);
	const expected = computeSignature(args.secretCode, args.timestamp, sts);
	const given = args.signature.trim().toLowerCase();
	if (safeEqualHex(given, expected)) return { ok: true, expected, stringToSign: sts };
	const emptyHash = sha256Hex('');
	const variants: Array<[string, string]> = [
		['query values were url-encoded', stringToSign(args.method, args.path, sortedQuery(rawQueryPairs(args.rawQuery)), args.bodySha256)],
		['query was not sorted', stringToSign(args.method, args.path, pairs.map((p) => `${p[0]}=${p[1]}`).join('&'), args.bodySha256)],
		['body hash of an empty body was used', stringToSign(args.method, args.path, sortedQuery(pairs), emptyHash)],
		[
			'path included the query string',
			stringToSign(args.method, args.path + (args.rawQuery ? '?' + args.rawQuery : ''), sortedQuery(pairs), args.bodySha256),
		],
		['method was lower-case', `${args.method.toLowerCase()}\n${args.path}\n${sortedQuery(pairs)}\n${args.bodySha256}`],
	];
	for (const [hint, v] of variants) {
		if (v !== sts && safeEqualHex(given, computeSignature(args.secretCode, args.timestamp, v))) {
			return { ok: false, expected, stringToSign: sts, hint };
		}
	}
	if (safeEqualHex(given, createHmac('sha256', args.secretCode).update(sts, 'utf8').digest('hex'))) {
		return { ok: false, expected, stringToSign: sts, hint: 'secret code used directly as HMAC key (no signing_key step)' };
	}
	return { ok: false, expected, stringToSign: sts };
}
