import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { isCancellation } from '../../transport/cancellation';
import { DocflowApiError, itemError } from '../../transport/errors';
import { runPerItem } from '../runPerItem';
import { outputItem } from './outputItem';

/** An item of a batch request: its index and what its prepare read. */
export interface Member<P> {
	itemIndex: number;
	prepared: P;
}

/** What sending one request found for each item it carried: its output, or its own error. */
export type Outcomes = Map<number, INodeExecutionData[] | Error>;

export interface GroupedWork<P> {
	/** Reads and checks one item's parameters (no request). Runs for every item before any send. */
	prepare: (itemIndex: number) => Promise<P>;
	/** Items with the same key go to DocFlow in one request (one category, one table…). */
	groupOf: (prepared: P) => string;
	/** The most items one request may carry; a larger group goes as several requests. */
	chunkSize: number;
	/**
	 * Sends one request's items. It may fail single items (a check against DocFlow's current
	 * state) by putting their error in the outcome; a thrown error fails every item it carried.
	 */
	send: (members: Array<Member<P>>) => Promise<Outcomes>;
	/** What an error item of this item shows besides the error. */
	known?: (prepared: P) => IDataObject;
}

function listOf(indices: number[]): string {
	return indices.length <= 1
		? String(indices[0])
		: `${indices.slice(0, -1).join(', ')} and ${indices[indices.length - 1]}`;
}

/**
 * An error that concerns several items (a request that carried them all), as one item's error:
 * its message names that item, and the description which other items the request carried.
 * A stop of the execution stays what it is.
 */
export function errorForItem(node: INode, error: Error, itemIndex: number, carried: number[] = [itemIndex]): Error {
	if (isCancellation(error)) return error;
	const others = carried.length > 1 ? ` The request carried items ${listOf(carried)}.` : '';
	if (error instanceof DocflowApiError) {
		const own = new DocflowApiError(node, error.docflow, itemIndex);
		// DocFlow refused the request itself (a business code in an HTTP 200): the spec's batch
		// endpoints are all-or-nothing, so none of its items was applied.
		const refused = error.docflow.httpStatus === 200 && error.docflow.code !== undefined;
		if (others) {
			own.description = `${own.description ?? ''}${others}${refused ? ' DocFlow applies all of them or none, so none was applied.' : ''}`;
		}
		return own;
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		const message = error.message.replace(/ \[item \d+\]$/, '');
		const context = { ...(error.context as IDataObject) };
		delete context.itemIndex;
		return itemError(node, message, {
			itemIndex,
			description: `${error.description ?? ''}${others}`.trim() || undefined,
			context,
		});
	}
	return itemError(node, error.message, { itemIndex, description: others.trim() || undefined });
}

/**
 * Puts one request's failure on each item it carried (a stop of the execution is thrown on):
 * items that failed earlier, on their own, keep their own error.
 */
export function failEach(node: INode, outcomes: Outcomes, error: unknown, members: Array<{ itemIndex: number }>): void {
	if (isCancellation(error)) throw error;
	const carried = members.map((m) => m.itemIndex);
	for (const m of members) outcomes.set(m.itemIndex, errorForItem(node, error as Error, m.itemIndex, carried));
}

/**
 * Runs an operation whose items DocFlow takes together (category/fields/batch_add and the
 * like): every item is checked first (runPerItem), then the items are grouped by `groupOf` in
 * item order (without Continue On Fail: consecutive items only) and sent `chunkSize` at a time,
 * one request per chunk. Each item's output (or error) comes out on its own input item; a failed
 * request fails only the items it carried, and with Continue On Fail every other item's output
 * stays intact.
 *
 * The first item of a chunk that runs sends the whole chunk; its other items take their part of
 * the same answer, so the Batching option's concurrency never splits or repeats a request.
 */
export async function runGrouped<P>(ctx: IExecuteFunctions, work: GroupedWork<P>): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const prepared = new Map<number, P>();
	let chunkOf: Map<number, { members: Array<Member<P>>; outcome?: Promise<Outcomes> }> | undefined;

	const chunks = () => {
		if (chunkOf) return chunkOf;
		chunkOf = new Map();
		const groups = new Map<string, Array<Member<P>>>();
		// Without Continue On Fail, n8n stops at the first failed item and nothing after it may be
		// processed, so a request may only carry items that follow one another: a group ends where
		// an item of another group comes between. With it, every item is processed anyway and a
		// group takes all of its items.
		const consecutive = !ctx.continueOnFail();
		let previous: string | undefined;
		let run = 0;
		for (const itemIndex of [...prepared.keys()].sort((a, b) => a - b)) {
			const member = { itemIndex, prepared: prepared.get(itemIndex) as P };
			const group = work.groupOf(member.prepared);
			if (consecutive && group !== previous) run++;
			previous = group;
			const key = consecutive ? `${run}\u0000${group}` : group;
			const members = groups.get(key) ?? [];
			members.push(member);
			groups.set(key, members);
		}
		for (const members of groups.values()) {
			for (let start = 0; start < members.length; start += work.chunkSize) {
				const chunk = { members: members.slice(start, start + work.chunkSize) };
				for (const member of chunk.members) chunkOf.set(member.itemIndex, chunk);
			}
		}
		return chunkOf;
	};

	const send = async (members: Array<Member<P>>): Promise<Outcomes> =>
		await work.send(members).catch((error: Error) => {
			const outcomes: Outcomes = new Map();
			failEach(node, outcomes, error, members);
			return outcomes;
		});

	return await runPerItem<P>(ctx, {
		prepare: async (itemIndex) => {
			const item = await work.prepare(itemIndex);
			prepared.set(itemIndex, item);
			return item;
		},
		known: work.known,
		run: async (_item, itemIndex) => {
			const chunk = chunks().get(itemIndex);
			if (!chunk) return [];
			chunk.outcome ??= send(chunk.members);
			const outcome = (await chunk.outcome).get(itemIndex);
			if (outcome instanceof Error) throw outcome;
			return outcome ?? [];
		},
	});
}

/**
 * What of a request may still go once its items were checked against DocFlow. With Continue On
 * Fail, everything but the items that failed. Without it, n8n stops the run at the first failed
 * item and no item after it may be processed: so only the items before it go.
 */
export function sendable<T>(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	entries: T[],
	itemOf: (entry: T) => number,
): T[] {
	const failed = [...outcomes.entries()]
		.filter(([, outcome]) => outcome instanceof Error)
		.map(([itemIndex]) => itemIndex);
	const ok = entries.filter((entry) => !outcomes.has(itemOf(entry)));
	if (ctx.continueOnFail() || failed.length === 0) return ok;
	const first = Math.min(...failed);
	return ok.filter((entry) => itemOf(entry) < first);
}

/** Why an item is refused, and what to do about it. */
export interface Refusal {
	message: string;
	description: string;
}

/**
 * Checks a request's items against what DocFlow has now: an item whose check finds an error (or
 * a refusal) fails on its own, its error in `outcomes`; the items that passed are returned.
 */
export function passing<E extends { itemIndex: number }>(
	node: INode,
	outcomes: Outcomes,
	entries: E[],
	check: (entry: E) => Error | Refusal | undefined,
): E[] {
	return entries.filter((entry) => {
		const { itemIndex } = entry;
		const found = check(entry);
		if (found instanceof Error) outcomes.set(itemIndex, found);
		else if (found) outcomes.set(itemIndex, itemError(node, found.message, { itemIndex, description: found.description }));
		return !found;
	});
}

/**
 * Sends in one request what of the items that passed their checks may still go (see sendable):
 * `request` sends them and tells each one's output. A failed request fails each item it carried.
 */
export async function sendPassed<E extends { itemIndex: number }>(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	passed: E[],
	request: (entries: E[]) => Promise<(entry: E) => IDataObject>,
): Promise<void> {
	const entries = sendable(ctx, outcomes, passed, (entry) => entry.itemIndex);
	if (entries.length === 0) return;
	let outputOf: (entry: E) => IDataObject;
	try {
		outputOf = await request(entries);
	} catch (error) {
		failEach(ctx.getNode(), outcomes, error, entries);
		return;
	}
	for (const entry of entries) outcomes.set(entry.itemIndex, [outputItem(outputOf(entry), entry.itemIndex)]);
}

/**
 * Checks, in prepare, that no two items of one request name the same thing (two fields of one
 * name, two updates of one field): DocFlow would refuse the whole request, and every other item
 * with it. The later item fails, naming the earlier one.
 */
export class SeenInGroup {
	private readonly seen = new Map<string, number>();

	/** The item that already claimed `name` in `group`, or undefined (and it is now claimed). */
	claim(group: string, name: string, itemIndex: number): number | undefined {
		const key = `${group}\u0000${name}`;
		const earlier = this.seen.get(key);
		if (earlier !== undefined) return earlier;
		this.seen.set(key, itemIndex);
		return undefined;
	}
}

/**
 * The names of one place (a category's tables, its regular fields, one table's columns) as they
 * will be once the renames checked so far are applied, so two renames to one name are caught
 * too: DocFlow would refuse the whole request for it.
 */
export class NamesInPlace {
	private readonly holders: Map<string, string>;

	constructor(things: Array<{ id: string; name?: string }>) {
		this.holders = new Map(things.map((thing) => [thing.name ?? '', String(thing.id)]));
	}

	/** Renames `id` from `from` to `to`; when another one has `to` already, changes nothing and returns its ID. */
	rename(id: string, from: string, to: string): string | undefined {
		const holder = this.holders.get(to);
		if (holder !== undefined && holder !== id) return holder;
		this.holders.delete(from);
		this.holders.set(to, id);
		return undefined;
	}
}
