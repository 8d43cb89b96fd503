import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { forEachItem, itemConcurrencyFrom } from '../../helpers/itemConcurrency';
import { errorItem, withItemIndex } from '../../helpers/itemErrors';
import { cancelSignalOf, isCancellation, throwIfCancelled } from '../../transport/cancellation';
import { runPerItem } from '../runPerItem';

/** What an operation that changes files in DocFlow does per item, in three rounds. */
export interface CheckedWrites<P, C> {
	/** Reads and checks the item's parameters; sends nothing (see runPerItem). */
	prepare: (itemIndex: number) => Promise<P>;
	/**
	 * Reads what DocFlow has (the file, the task, the workspace's categories) and checks the item
	 * against it; writes nothing. Runs for every item before `write` runs for any.
	 */
	check: (prepared: P, itemIndex: number) => Promise<C>;
	/** The change itself, and the item's output. */
	write: (checked: C, itemIndex: number) => Promise<INodeExecutionData[]>;
	/** What an error item of this item shows besides the error (workspace, task…). */
	known?: (prepared: P) => IDataObject;
	/** After every write: may replace items' output (Wait for Completion). */
	finish?: (outputByItem: Map<number, INodeExecutionData[]>) => Promise<void>;
}

/**
 * Some bad inputs show only against what DocFlow has: a field name the file does not have, a
 * category the workspace does not have, a task still being processed. Those checks need reads,
 * which runPerItem's `prepare` does not make, so they run in a round of their own: first every
 * item's parameters (prepare), then every item's reads and checks, and only then any write.
 * A bad item 7 therefore stops the node before items 0–6 have changed anything in DocFlow
 * (reads are harmless); with Continue On Fail it becomes an error item and the others are
 * written. Writes keep the Batching option's concurrency, and their failures are handled as
 * runPerItem handles any item's.
 */
export async function runCheckedWrites<P, C>(
	ctx: IExecuteFunctions,
	work: CheckedWrites<P, C>,
): Promise<INodeExecutionData[]> {
	const checked = new Map<number, { prepared: P; checked: C }>();
	return await runPerItem<P>(ctx, {
		prepare: work.prepare,
		known: work.known,
		run: async (prepared, itemIndex) => {
			checked.set(itemIndex, { prepared, checked: await work.check(prepared, itemIndex) });
			// The output comes with the write (below).
			return [];
		},
		finish: async (outputByItem) => {
			const node = ctx.getNode();
			const signal = cancelSignalOf(ctx);
			const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
			const count = ctx.getInputData().length;
			await forEachItem(
				count,
				itemConcurrencyFrom(options),
				async (itemIndex) => {
					const item = checked.get(itemIndex);
					if (!item) return;
					try {
						outputByItem.set(itemIndex, await work.write(item.checked, itemIndex));
					} catch (error) {
						if (isCancellation(error) || !ctx.continueOnFail()) throw withItemIndex(node, error as Error, itemIndex);
						outputByItem.set(itemIndex, [errorItem(node, error as Error, itemIndex, work.known?.(item.prepared))]);
					}
				},
				signal,
			);
			throwIfCancelled(ctx, signal);
			await work.finish?.(outputByItem);
		},
	});
}
