import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

export const MAX_ITEMS_PER_BATCH = 10;

export interface Batching {
	itemsPerBatch: number;
	batchIntervalMs: number;
}

/** The Batching option (as the HTTP Request node has it): items per batch, pause between. */
export function batchingFrom(options: IDataObject): Batching {
	const batch = ((options.batching as IDataObject | undefined)?.batch ?? {}) as IDataObject;
	const size = Number(batch.itemsPerBatch ?? 1);
	const interval = Number(batch.batchInterval ?? 0);
	return {
		itemsPerBatch: Math.min(MAX_ITEMS_PER_BATCH, Math.max(1, Number.isFinite(size) ? Math.floor(size) : 1)),
		batchIntervalMs: Math.max(0, Number.isFinite(interval) ? interval : 0),
	};
}

/**
 * Runs `work` for every item, `itemsPerBatch` at a time in parallel, pausing between batches.
 * Results are kept by item index by the caller, so the output order never depends on timing.
 */
export async function forEachItem(
	count: number,
	batching: Batching,
	work: (itemIndex: number) => Promise<void>,
): Promise<void> {
	for (let start = 0; start < count; start += batching.itemsPerBatch) {
		if (start > 0 && batching.batchIntervalMs > 0) await sleep(batching.batchIntervalMs);
		const indices = Array.from(
			{ length: Math.min(batching.itemsPerBatch, count - start) },
			(_, k) => start + k,
		);
		await Promise.all(indices.map(async (itemIndex) => await work(itemIndex)));
	}
}
