import { cancelSignalOf, pause } from './cancellation';
import { DocflowApiError } from './errors';
import { Attempts, docflowRequest } from './request';
import type { DocflowContext, DocflowRequest } from './request';

/**
 * What a check found after an answer got lost: DocFlow has all of it ('received'), or it has
 * provably none of what `request()` will send next ('resend'; the caller has already set aside
 * what DocFlow does have). When the check cannot tell, it throws an error that says so.
 */
export type Verification = 'received' | 'resend';

export interface VerifiedSend {
	/** The request to send; called again before every resend, so it can leave out what arrived. */
	request: () => Omit<DocflowRequest, 'resend' | 'attempts'>;
	/** Looks at DocFlow after a lost answer (timeout, reset, gateway error, cut-off body). */
	verify: (lost: DocflowApiError) => Promise<Verification>;
	/** Runs each send (the upload ledger uses it to know which uploads are in flight). */
	track?: <R>(send: () => Promise<R>) => Promise<R>;
}

/**
 * Sends a request that must not be carried out twice (an upload, a retry). It is sent again
 * right away only when DocFlow provably did not act on it (refused connection, 429/423/503,
 * busy code); when that is unknown, `verify` looks at DocFlow first and only what is missing
 * goes again, after the same backoff. Attempts and Max Retry Time count over every send.
 *
 * Resolves with DocFlow's answer, or undefined when `verify` found that everything arrived.
 */
export async function sendVerified<T>(
	ctx: DocflowContext,
	send: VerifiedSend,
): Promise<T | undefined> {
	let attempts: Attempts | undefined;
	for (;;) {
		const request = send.request();
		attempts ??= new Attempts(request.retry);
		const attempt = async () =>
			(await docflowRequest.call(ctx, { ...request, resend: 'if-not-accepted', attempts })) as T;
		// docflowRequest fails only with n8n's own errors; the one handled here is "may have arrived".
		const outcome = await (send.track ? send.track(attempt) : attempt()).then(
			(answer) => ({ answer, error: undefined }),
			(error: Error) => ({ answer: undefined, error }),
		);
		if (!outcome.error) return outcome.answer;
		const lost = outcome.error;
		if (!(lost instanceof DocflowApiError) || lost.docflow.accepted !== 'unknown') throw lost;
		if ((await send.verify(lost)) === 'received') return undefined;
		const delay = attempts.nextDelayMs(lost.docflow.retryAfterSeconds);
		if (delay === undefined) throw lost;
		ctx.logger?.debug?.(
			`DocFlow ${request.endpoint}: no answer to attempt ${attempts.count}; DocFlow does not have it, sending again in ${delay} ms`,
		);
		await pause(delay, cancelSignalOf(ctx));
	}
}
