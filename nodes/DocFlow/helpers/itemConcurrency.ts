import type { IDataObject } from 'n8n-workflow';

import { pause } from '../transport/cancellation';

/** At most this many items at once: more would only meet DocFlow's rate limit. */
const MAX_ITEMS_AT_ONCE = 10;

/**
 * How many items the node works on at once, from the Batching option (named as the HTTP
 * Request node names it; not DocFlow's batches of files).
 */
export interface ItemConcurrency {
	itemsAtOnce: number;
	pauseBetweenMs: number;
}

export function itemConcurrencyFrom(options: IDataObject): ItemConcurrency {
	const batch = ((options.batching as IDataObject | undefined)?.batch ?? {}) as IDataObject;
	const size = Number(batch.itemsPerBatch ?? 1);
	const interval = Number(batch.batchInterval ?? 0);
	return {
		itemsAtOnce: Math.min(MAX_ITEMS_AT_ONCE, Math.max(1, Number.isFinite(size) ? Math.floor(size) : 1)),
		pauseBetweenMs: Math.max(0, Number.isFinite(interval) ? interval : 0),
	};
}

/**
 * Runs `work` for every item, `itemsAtOnce` at a time, pausing between groups. The caller keeps
 * results by item index, so the output order never depends on timing. Stops starting new items
 * once `signal` aborts. When an item fails, the others of its group are let finish before the
 * failure (the lowest item's) is thrown, so nothing of the run goes on after the node stopped.
 */
export async function forEachItem(
	count: number,
	concurrency: ItemConcurrency,
	work: (itemIndex: number) => Promise<void>,
	signal?: AbortSignal,
): Promise<void> {
	for (let start = 0; start < count && !signal?.aborted; start += concurrency.itemsAtOnce) {
		if (start > 0) await pause(concurrency.pauseBetweenMs, signal);
		if (signal?.aborted) return;
		const indices = Array.from(
			{ length: Math.min(concurrency.itemsAtOnce, count - start) },
			(_, k) => start + k,
		);
		const outcomes = await Promise.allSettled(indices.map(async (itemIndex) => await work(itemIndex)));
		const failed = outcomes.find((outcome) => outcome.status === 'rejected');
		if (failed) throw failed.reason;
	}
}
