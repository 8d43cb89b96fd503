import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { forEachItem, itemConcurrencyFrom } from '../helpers/itemConcurrency';
import { errorItem, withItemIndex } from '../helpers/itemErrors';
import { cancelSignalOf, isCancellation, throwIfCancelled } from '../transport/cancellation';

/** What an operation does for its items; the runner does the rest. */
export interface ItemWork<P> {
	/**
	 * Reads and checks item i's parameters and input. Runs for every item before `run` runs for
	 * any, so a bad item 7 is reported before items 0–6 have sent anything.
	 */
	prepare: (itemIndex: number) => Promise<P>;
	/** The item's work: its output items, each paired with it. */
	run: (prepared: P, itemIndex: number) => Promise<INodeExecutionData[]>;
	/** What an error item of this item shows besides the error (workspace, batch…). */
	known?: (prepared: P) => IDataObject;
	/**
	 * After every item ran: may replace items' output (Wait for Completion puts results in place
	 * of receipts, one poll per batch for all items together).
	 */
	finish?: (outputByItem: Map<number, INodeExecutionData[]>) => Promise<void>;
}

/**
 * The one per-item loop of every operation: checks every item first, then works on them with
 * the Batching option's concurrency, and turns a failed item into an error item on its own
 * output under Continue On Fail (regular or error output) while every other item's output stays
 * intact. Output comes in item order, each item paired with its input. A stopped execution is
 * never turned into an error item: it ends the run.
 */
export async function runPerItem<P>(
	ctx: IExecuteFunctions,
	work: ItemWork<P>,
): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const signal = cancelSignalOf(ctx);
	const count = ctx.getInputData().length;
	const outputByItem = new Map<number, INodeExecutionData[]>();

	const fail = (error: Error, itemIndex: number, known: IDataObject = {}) => {
		if (isCancellation(error) || !ctx.continueOnFail()) throw withItemIndex(node, error, itemIndex);
		outputByItem.set(itemIndex, [errorItem(node, error, itemIndex, known)]);
	};

	const prepared = new Map<number, P>();
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			prepared.set(itemIndex, await work.prepare(itemIndex));
		} catch (error) {
			fail(error as Error, itemIndex);
		}
	}

	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	await forEachItem(
		count,
		itemConcurrencyFrom(options),
		async (itemIndex) => {
			if (!prepared.has(itemIndex)) return;
			const item = prepared.get(itemIndex) as P;
			try {
				outputByItem.set(itemIndex, await work.run(item, itemIndex));
			} catch (error) {
				fail(error as Error, itemIndex, work.known?.(item));
			}
		},
		signal,
	);
	throwIfCancelled(ctx, signal);

	await work.finish?.(outputByItem);
	return [...outputByItem.keys()]
		.sort((a, b) => a - b)
		.flatMap((itemIndex) => outputByItem.get(itemIndex) ?? []);
}
