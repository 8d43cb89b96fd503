import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryTableConfig } from '../../transport/api.types';
import { addCategoryTables, listCategoryTables } from '../../transport/endpoints/categoryTables';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { TABLES, addNew } from '../category/addsAndDeletes';
import { readFieldConfigs } from '../category/fieldAndTableJson';
import { tablesOf } from '../category/lookups';
import { batchedOptions, runPerCategory } from '../category/perCategory';
import type { Chunk } from '../category/perCategory';
import { tableSettings, tableSettingsFrom } from '../category/tableSettings';
import { readList, readName } from '../category/valueReaders';

export const option = {
	name: 'Add',
	description: 'Add tables to a category, one per input item',
	action: 'Add category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Table Name',
		name: 'tableName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Item Details',
		description: `The new table’s name (at most ${CATEGORY_LIMITS.nameMaxLength} characters)`,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical([
			...tableSettings,
			{
				displayName: 'Column Names',
				name: 'columnNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. Item, Quantity, Amount',
				description: `The table’s columns, separated by commas (at most ${CATEGORY_LIMITS.itemsPerRequest}). Category Field → Add adds more later.`,
			},
			{
				displayName: 'Columns (JSON)',
				name: 'columnsJson',
				type: 'json',
				default: '[\n  { "name": "Amount", "description": "Line total" }\n]',
				description:
					'The columns with every setting DocFlow has, as Category Create’s Fields (JSON) takes them. Instead of Column Names.',
			},
		]),
	},
	batchedOptions,
];

interface NewTable {
	table: CategoryTableConfig;
}

/** Sends one chunk of new tables of one category in one category/tables/batch_add (see addNew). */
async function send(ctx: IExecuteFunctions, { members, outcomes, call }: Chunk<NewTable>): Promise<void> {
	await addNew(ctx, outcomes, members, {
		things: TABLES,
		where: `category ${call.categoryId}`,
		existing: (await tablesOf(ctx, call)).tables,
		definitionOf: (m) => m.prepared.table,
		listNow: async () => (await listCategoryTables(ctx, call)).tables,
		send: async (tables, verify) => await addCategoryTables(ctx, { ...call, tables }, verify),
		base: { workspace_id: call.workspaceId, category_id: call.categoryId },
	});
}

/** Column Names or Columns (JSON), not both; undefined when neither is set. */
function columnsFrom(ctx: IExecuteFunctions, values: IDataObject, itemIndex: number) {
	const hasNames =
		values.columnNames !== undefined && readList(ctx, values.columnNames, itemIndex, 'Column Names').length > 0;
	const hasJson = values.columnsJson !== undefined && values.columnsJson !== '';
	if (hasNames && hasJson) {
		throw itemError(ctx.getNode(), 'Both Column Names and Columns (JSON) are set', {
			itemIndex,
			description: 'Give the columns one way: names only in Column Names, or with their settings in Columns (JSON).',
		});
	}
	if (hasNames) {
		const names = readList(ctx, values.columnNames, itemIndex, 'Column Names');
		return readFieldConfigs(
			ctx,
			names.map((name) => ({ name })),
			itemIndex,
			'Column Names',
		);
	}
	if (hasJson) return readFieldConfigs(ctx, values.columnsJson, itemIndex, 'Columns (JSON)', { required: false });
	return undefined;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerCategory<NewTable>(this, {
		prepare: (itemIndex) => {
			const name = readName(
				this,
				this.getNodeParameter('tableName', itemIndex, ''),
				itemIndex,
				'Table Name',
				CATEGORY_LIMITS.nameMaxLength,
			);
			const values = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const table: CategoryTableConfig = { name, ...tableSettingsFrom(this, values, itemIndex) };
			const columns = columnsFrom(this, values, itemIndex);
			if (columns && columns.length > 0) table.fields = columns;
			return { table };
		},
		once: {
			key: ({ table }) => table.name,
			refusal: ({ table }, earlier) => ({
				message: `Item ${earlier} already adds a table named “${table.name}” to the same category`,
				description: 'Each table needs its own name: remove the repeated row, or rename it.',
			}),
		},
		known: ({ table }) => ({ name: table.name }),
		send: async (chunk) => await send(this, chunk),
	});
}
