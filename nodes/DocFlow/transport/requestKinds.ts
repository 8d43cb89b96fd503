import type { Endpoint } from './api.types';
import { docflowRequest } from './request';
import type { DocflowContext, DocflowRequest, RetrySettings } from './request';
import { sendVerified } from './sendVerified';
import type { VerifiedSend } from './sendVerified';

/**
 * The two kinds of request a typed call makes, so each call only says its endpoint and body.
 * Whether a request may be sent again decides which one: see DocflowRequest.resend.
 */

/** Which item a call is for (errors name it) and how hard it tries. */
export interface CallOptions {
	itemIndex?: number;
	retry?: Partial<RetrySettings>;
}

/**
 * A request DocFlow may get twice without harm (a read, or setting the same values again): sent
 * again after any temporary failure.
 */
export async function resendable<T>(
	ctx: DocflowContext,
	method: DocflowRequest['method'],
	endpoint: Endpoint,
	payload: Pick<DocflowRequest, 'qs' | 'json'>,
	options: CallOptions = {},
): Promise<T | undefined> {
	return (await docflowRequest.call(ctx, {
		method,
		endpoint,
		...payload,
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	})) as T | undefined;
}

/**
 * A POST that must not be carried out twice (a create, a delete, a retry): after a lost answer,
 * `verify` looks at DocFlow before anything is sent again (see sendVerified). `json` may be a
 * function: it is then asked before every send, so a resend can leave out what `verify` found
 * DocFlow has. Resolves with DocFlow's answer, or undefined when `verify` found that it arrived.
 */
export async function postOnce<T = unknown>(
	ctx: DocflowContext,
	endpoint: Endpoint,
	json: unknown,
	options: CallOptions,
	verify: VerifiedSend['verify'],
): Promise<T | undefined> {
	return await sendVerified<T>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint,
			json: typeof json === 'function' ? (json as () => unknown)() : json,
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}
