import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryTable } from '../../transport/api.types';
import { deleteCategoryTables, listCategoryTables } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator, categoryTableLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from '../category/batches';
import type { Member, Outcomes } from '../category/batches';
import { mayHaveBeen, single, tableNotFound, tablesOf } from '../category/lookups';

export const option = {
	name: 'Delete',
	description: 'Delete tables of a category with their columns, one per input item',
	action: 'Delete category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{ ...categoryTableLocator, description: 'The table to delete. Its columns go with it.' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical(requestOptions.filter((o) => o.name !== 'batching')),
	},
];

interface PreparedDelete {
	workspaceId: string;
	categoryId: string;
	tableId: string;
	retry: Partial<RetrySettings>;
}

/**
 * Deletes one chunk of tables of one category: each is found in tables/list first (a table that
 * is not there fails on its own), then one category/tables/delete. After a lost answer, gone
 * means done; only what is still there is sent again.
 */
async function send(ctx: IExecuteFunctions, members: Array<Member<PreparedDelete>>): Promise<Outcomes> {
	const node = ctx.getNode();
	const { workspaceId, categoryId, retry } = members[0].prepared;
	const call = { workspaceId, categoryId, retry };
	const outcomes: Outcomes = new Map();
	const before = new Map<string, CategoryTable>((await tablesOf(ctx, call)).tables.map((t) => [String(t.id), t]));
	for (const m of members) {
		if (!before.has(m.prepared.tableId))
			outcomes.set(m.itemIndex, tableNotFound(node, m.prepared.tableId, categoryId, m.itemIndex));
	}
	const carried = sendable(ctx, outcomes, members, (m) => m.itemIndex);
	if (carried.length === 0) return outcomes;
	let pending = carried;
	try {
		await deleteCategoryTables(ctx, { ...call, tableIds: () => pending.map((m) => m.prepared.tableId) }, async () => {
			let now: Set<string>;
			try {
				now = new Set((await listCategoryTables(ctx, call)).tables.map((t) => String(t.id)));
			} catch {
				throw mayHaveBeen(
					node,
					`Tables ${pending.map((m) => m.prepared.tableId).join(', ')} of category ${categoryId} may have been deleted`,
					'Check the category’s tables (Category Table → Get Many); delete those still there.',
				);
			}
			pending = pending.filter((m) => now.has(m.prepared.tableId));
			return pending.length === 0 ? 'received' : 'resend';
		});
	} catch (error) {
		failEach(node, outcomes, error, carried);
		return outcomes;
	}
	for (const m of carried) {
		outcomes.set(
			m.itemIndex,
			single(
				{
					workspace_id: workspaceId,
					category_id: categoryId,
					table_id: m.prepared.tableId,
					name: before.get(m.prepared.tableId)?.name ?? '',
					deleted: true,
				},
				m.itemIndex,
			),
		);
	}
	return outcomes;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedDelete>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
			const tableId = readId(this, 'tableId', itemIndex, 'Table', { locator: true });
			const earlier = seen.claim(`${workspaceId}/${categoryId}`, tableId, itemIndex);
			if (earlier !== undefined) {
				throw itemError(node, `Table ${tableId} is deleted by item ${earlier} already`, {
					itemIndex,
					description: 'Each table can be deleted once; remove the repeated item (e.g. with a Remove Duplicates node).',
				});
			}
			return {
				workspaceId,
				categoryId,
				tableId,
				retry: retrySettingsFrom(this.getNodeParameter('options', itemIndex, {}) as IDataObject),
			};
		},
		known: ({ workspaceId, categoryId, tableId }) => ({
			workspace_id: workspaceId,
			category_id: categoryId,
			table_id: tableId,
		}),
		groupOf: ({ workspaceId, categoryId }) => `${workspaceId}/${categoryId}`,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => await send(this, members),
	});
}
