import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryTable, CategoryTableUpdate } from '../../transport/api.types';
import { updateCategoryTables } from '../../transport/endpoints/categoryTables';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator, categoryTableLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { NamesInPlace, passing, sendPassed } from '../category/batches';
import { tableNotFound, tablesOf } from '../category/lookups';
import { batchedOptions, runPerCategory, updatedAlready } from '../category/perCategory';
import type { Chunk } from '../category/perCategory';
import { tableSettings, tableSettingsFrom } from '../category/tableSettings';
import { readName } from '../category/valueReaders';

export const option = {
	name: 'Update',
	description: 'Change tables of a category, one per input item',
	action: 'Update category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	categoryTableLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical([
			...tableSettings,
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: `The table’s new name (at most ${CATEGORY_LIMITS.nameMaxLength} characters)`,
			},
		]),
	},
	batchedOptions,
];

interface TableChange {
	tableId: string;
	changes: Omit<CategoryTableUpdate, 'table_id'>;
}

/**
 * Sends one chunk of table changes of one category: each table is found in tables/list first
 * (a missing table, a name another table has, or merging with Acgpt-VL fail on their own), the
 * rest go in one category/tables/batch_update, which is resent freely (the same values twice
 * change nothing).
 */
async function send(ctx: IExecuteFunctions, { members, outcomes, call }: Chunk<TableChange>): Promise<void> {
	const node = ctx.getNode();
	const { workspaceId, categoryId } = call;
	const before = (await tablesOf(ctx, call)).tables;
	const names = new NamesInPlace(before);
	const tableOf = new Map<number, CategoryTable>();
	const passed = passing(node, outcomes, members, (m) => {
		const { tableId, changes } = m.prepared;
		const table = before.find((t) => String(t.id) === tableId);
		if (!table) return tableNotFound(node, tableId, categoryId, m.itemIndex);
		const model = changes.extract_model ?? table.extract_model;
		const merge = changes.collect_from_multi_table ?? table.collect_from_multi_table;
		if (model === 'Acgpt-VL' && merge === true) {
			return {
				message: `Table “${table.name}” would merge tables with the extraction model Acgpt-VL, which cannot`,
				description: 'Switch Merge Tables Across the Document off, or choose another Extraction Model.',
			};
		}
		const holder = changes.name === undefined ? undefined : names.rename(tableId, table.name, changes.name);
		if (holder !== undefined) {
			return {
				message: `Another table of category ${categoryId} is named “${changes.name}” (table ID ${holder})`,
				description: 'Choose another name, or rename or delete the other table first.',
			};
		}
		tableOf.set(m.itemIndex, table);
		return undefined;
	});
	await sendPassed(ctx, outcomes, passed, async (entries) => {
		await updateCategoryTables(ctx, {
			...call,
			tables: entries.map((m) => ({ table_id: m.prepared.tableId, ...m.prepared.changes })),
		});
		return (m) => {
			// tables/batch_update answers with nothing: the table as it was, with the changes DocFlow took.
			const { id, ...table } = tableOf.get(m.itemIndex) as CategoryTable;
			return { workspace_id: workspaceId, category_id: categoryId, table_id: String(id), ...table, ...m.prepared.changes };
		};
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	return await runPerCategory<TableChange>(this, {
		prepare: (itemIndex) => {
			const tableId = readId(this, 'tableId', itemIndex, 'Table', { locator: true });
			const values = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const changes: Omit<CategoryTableUpdate, 'table_id'> = tableSettingsFrom(this, values, itemIndex, {
				clearing: true,
			});
			if (values.name !== undefined)
				changes.name = readName(this, values.name, itemIndex, 'Name', CATEGORY_LIMITS.nameMaxLength);
			if (Object.keys(changes).length === 0) {
				throw itemError(node, 'Nothing to update: no Update Fields are set', {
					itemIndex,
					description:
						'Add at least one of Extraction Model, Merge Tables Across the Document, Name or Prompt under Update Fields.',
				});
			}
			return { tableId, changes };
		},
		once: { key: ({ tableId }) => tableId, refusal: ({ tableId }, earlier) => updatedAlready('table', tableId, earlier) },
		known: ({ tableId }) => ({ table_id: tableId }),
		send: async (chunk) => await send(this, chunk),
	});
}
