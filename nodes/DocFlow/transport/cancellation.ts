import { NodeOperationError, sleep } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

/** Anything that runs the node and may be able to cancel it (execute, poll, hook, load-options). */
interface MaybeCancellable {
	getNode(): INode;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
}

/**
 * The execution's cancel signal where n8n provides one (executions since n8n 1.x; a poll or a
 * load-options call has none). Aborted when the user stops the execution.
 */
export function cancelSignalOf(ctx: MaybeCancellable): AbortSignal | undefined {
	return typeof ctx.getExecutionCancelSignal === 'function'
		? ctx.getExecutionCancelSignal()
		: undefined;
}

/**
 * The execution was stopped. Never turned into an error item by Continue On Fail and never
 * retried: once it is thrown, the node sends nothing more.
 */
export class ExecutionCancelledError extends NodeOperationError {
	readonly cancelled = true;

	constructor(node: INode, itemIndex?: number) {
		super(node, 'The execution was stopped while DocFlow was working', {
			itemIndex,
			description:
				'Nothing more was sent to DocFlow. Files already sent go on being processed there; Fetch Batch picks their results up later.',
		});
	}
}

export function isCancellation(error: unknown): error is ExecutionCancelledError {
	return error instanceof ExecutionCancelledError;
}

export function throwIfCancelled(ctx: MaybeCancellable, signal: AbortSignal | undefined, itemIndex?: number): void {
	if (signal?.aborted) throw new ExecutionCancelledError(ctx.getNode(), itemIndex);
}

/** Longest single timer: n8n's `sleep` cannot be cancelled, so an aborted wait leaves at most this behind. */
const SLICE_MS = 250;

/**
 * Waits `ms`, or less when the signal aborts (then returns at once). Community nodes may not
 * use timers directly, and n8n's `sleep` takes no signal, so the wait is n8n's sleep in short
 * slices raced against the abort.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (ms <= 0) return;
	if (!signal) {
		await sleep(ms);
		return;
	}
	if (signal.aborted) return;
	let onAbort = () => {};
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	const slept = (async () => {
		const end = Date.now() + ms;
		while (!signal.aborted && Date.now() < end) await sleep(Math.min(SLICE_MS, end - Date.now()));
	})();
	try {
		await Promise.race([aborted, slept]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
