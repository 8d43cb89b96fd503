import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { readCategory } from '../parameters/category';
import type { CategoryRef } from '../parameters/category';
import { optionsCollection, requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, runGrouped } from './batches';
import type { Member, Outcomes, Refusal } from './batches';

/**
 * The batching of the Category Field and Category Table operations (Add, Update, Delete): the
 * items of one category go to DocFlow together, at most 100 in one request, and an item that
 * fails its checks fails alone.
 */

/** What a request about one category needs: the category, and how hard to try. */
export interface CategoryRequest extends CategoryRef {
	retry: Partial<RetrySettings>;
}

/**
 * The Options of an operation whose items go to DocFlow together: the request options without
 * Batching, as the items go up to 100 in one request, not one by one.
 */
export const batchedOptions: INodeProperties = {
	...optionsCollection(),
	options: alphabetical(requestOptions.filter((o) => o.name !== 'batching')),
};

/** One request's items (all of one category, or place), and where their outcomes go. */
export interface Chunk<T> {
	members: Array<Member<CategoryRequest & T>>;
	outcomes: Outcomes;
	/** The category they are about, with the first item's retry settings. */
	call: CategoryRequest;
}

export interface PerCategoryWork<T> {
	/** Reads and checks an item's own parameters (its Workspace and Category are read before). */
	prepare: (itemIndex: number) => T;
	/**
	 * What an item may name only once in a request (one field, one table, one name): DocFlow
	 * would refuse the whole request, so a second item naming it fails, naming the first.
	 */
	once: {
		key: (item: CategoryRef & T) => string;
		refusal: (item: CategoryRef & T, earlier: number) => Refusal;
	};
	/** What an error item shows besides workspace_id and category_id. */
	known: (item: T) => IDataObject;
	/** Items of one place go in one request: their category, or (`placeOf`) a smaller place. */
	placeOf?: (item: CategoryRef & T) => string;
	/** Sends one request's items and puts each item's output or error into `outcomes`. */
	send: (chunk: Chunk<T>) => Promise<void>;
}

/**
 * Runs a Category Field or Category Table operation: every item is checked first, then the items
 * of one category (or place) go to DocFlow in requests of at most 100 (see runGrouped).
 */
export async function runPerCategory<T>(
	ctx: IExecuteFunctions,
	work: PerCategoryWork<T>,
): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const seen = new SeenInGroup();
	const placeOf = (item: CategoryRef & T) => work.placeOf?.(item) ?? `${item.workspaceId}/${item.categoryId}`;
	return await runGrouped<CategoryRequest & T>(ctx, {
		prepare: async (itemIndex) => {
			const item: CategoryRef & T = { ...readCategory(ctx, itemIndex), ...work.prepare(itemIndex) };
			const earlier = seen.claim(placeOf(item), work.once.key(item), itemIndex);
			if (earlier !== undefined) {
				const { message, description } = work.once.refusal(item, earlier);
				throw itemError(node, message, { itemIndex, description });
			}
			return { ...item, retry: retrySettingsFrom(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject) };
		},
		known: (item) => ({ workspace_id: item.workspaceId, category_id: item.categoryId, ...work.known(item) }),
		groupOf: placeOf,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => {
			const { workspaceId, categoryId, retry } = members[0].prepared;
			const outcomes: Outcomes = new Map();
			await work.send({ members, outcomes, call: { workspaceId, categoryId, retry } });
			return outcomes;
		},
	});
}

/** A second item deleting the same category, field or table. */
export function deletedAlready(thing: 'category' | 'field' | 'table', id: string, earlier: number): Refusal {
	return {
		message: `${thing[0].toUpperCase()}${thing.slice(1)} ${id} is deleted by item ${earlier} already`,
		description: `Each ${thing} can be deleted once; remove the repeated item (e.g. with a Remove Duplicates node).`,
	};
}

/** A second item changing the same field or table: which change DocFlow keeps is not defined. */
export function updatedAlready(thing: 'field' | 'table', id: string, earlier: number): Refusal {
	return {
		message: `Item ${earlier} already updates ${thing} ${id}`,
		description: `Put all changes of one ${thing} into one item, or remove the repeated item.`,
	};
}
