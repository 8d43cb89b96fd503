import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { forEachItem, itemConcurrencyFrom } from '../helpers/itemConcurrency';
import { errorItem, withItemIndex } from '../helpers/itemErrors';
import { cancelSignalOf, isCancellation, throwIfCancelled } from '../transport/cancellation';

/** What an operation does for its items; the runner does the rest. */
export interface ItemWork<P, C = P> {
	/**
	 * Reads and checks item i's parameters and input. Runs for every item before `run` runs for
	 * any, so a bad item 7 is reported before items 0–6 have sent anything.
	 */
	prepare: (itemIndex: number) => Promise<P>;
	/**
	 * For operations that change what DocFlow has: reads it (the file, the task, the workspace's
	 * categories) and checks the item against it, writing nothing. Some bad inputs show only
	 * there (a field the file does not have, a task still being processed), so this round runs
	 * for every item before `run` runs for any: a bad item 7 stops the node before items 0–6
	 * have changed anything (reads are harmless).
	 */
	check?: (prepared: P, itemIndex: number) => Promise<C>;
	/** The item's work: its output items, each paired with it. */
	run: (checked: C, itemIndex: number) => Promise<INodeExecutionData[]>;
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
export async function runPerItem<P, C = P>(
	ctx: IExecuteFunctions,
	work: ItemWork<P, C>,
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

	// One round over the items still in: the Batching option's concurrency, a failure is the item's.
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const round = async <T, R>(items: Map<number, T>, step: (item: T, itemIndex: number) => Promise<R>) => {
		const done = new Map<number, R>();
		await forEachItem(
			count,
			itemConcurrencyFrom(options),
			async (itemIndex) => {
				if (!items.has(itemIndex)) return;
				try {
					done.set(itemIndex, await step(items.get(itemIndex) as T, itemIndex));
				} catch (error) {
					fail(error as Error, itemIndex, work.known?.(prepared.get(itemIndex) as P));
				}
			},
			signal,
		);
		throwIfCancelled(ctx, signal);
		return done;
	};
	const checked = work.check ? await round(prepared, work.check) : (prepared as unknown as Map<number, C>);
	for (const [itemIndex, output] of await round(checked, work.run)) outputByItem.set(itemIndex, output);

	await work.finish?.(outputByItem);
	return [...outputByItem.keys()]
		.sort((a, b) => a - b)
		.flatMap((itemIndex) => outputByItem.get(itemIndex) ?? []);
}
