import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CategoryTable } from '../../transport/api.types';
import { deleteCategoryTables, listCategoryTables } from '../../transport/endpoints/categoryTables';
import { categoryLocator, categoryTableLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { TABLES, mayHaveBeenDeleted, untilGone } from '../category/addsAndDeletes';
import { passing, sendPassed } from '../category/batches';
import { tableNotFound, tablesOf } from '../category/lookups';
import { batchedOptions, deletedAlready, runPerCategory } from '../category/perCategory';
import type { Chunk } from '../category/perCategory';

export const option = {
	name: 'Delete',
	description: 'Delete tables of a category with their columns, one per input item',
	action: 'Delete category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{ ...categoryTableLocator, description: 'The table to delete. Its columns go with it.' },
	batchedOptions,
];

interface TableToDelete {
	tableId: string;
}

/**
 * Deletes one chunk of tables of one category: each is found in tables/list first (a table that
 * is not there fails on its own), then one category/tables/delete. After a lost answer, gone
 * means done; only what is still there is sent again.
 */
async function send(ctx: IExecuteFunctions, { members, outcomes, call }: Chunk<TableToDelete>): Promise<void> {
	const node = ctx.getNode();
	const { workspaceId, categoryId } = call;
	const before = new Map<string, CategoryTable>((await tablesOf(ctx, call)).tables.map((t) => [String(t.id), t]));
	const passed = passing(node, outcomes, members, (m) =>
		before.has(m.prepared.tableId) ? undefined : tableNotFound(node, m.prepared.tableId, categoryId, m.itemIndex),
	);
	await sendPassed(ctx, outcomes, passed, async (entries) => {
		const gone = untilGone(
			entries,
			(m) => m.prepared.tableId,
			async () => (await listCategoryTables(ctx, call)).tables.map((t) => String(t.id)),
			(ids) => mayHaveBeenDeleted(node, TABLES, ids, `category ${categoryId}`),
		);
		await deleteCategoryTables(ctx, { ...call, tableIds: gone.ids }, gone.verify);
		return (m) => ({
			workspace_id: workspaceId,
			category_id: categoryId,
			table_id: m.prepared.tableId,
			name: before.get(m.prepared.tableId)?.name ?? '',
			deleted: true,
		});
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerCategory<TableToDelete>(this, {
		prepare: (itemIndex) => ({ tableId: readId(this, 'tableId', itemIndex, 'Table', { locator: true }) }),
		once: { key: ({ tableId }) => tableId, refusal: ({ tableId }, earlier) => deletedAlready('table', tableId, earlier) },
		known: ({ tableId }) => ({ table_id: tableId }),
		send: async (chunk) => await send(this, chunk),
	});
}
