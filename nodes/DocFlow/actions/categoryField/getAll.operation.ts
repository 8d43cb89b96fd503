import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CategoryField, CategoryTable } from '../../transport/api.types';
import { categoryLocator, categoryTableLocator, readCategory } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { runPerItem } from '../runPerItem';
import { fieldsOf, tableNotFound } from '../category/lookups';
import { outputItem } from '../category/outputItem';

export const option = {
	name: 'Get Many',
	description: 'List the fields of a category: regular fields and table columns',
	action: 'Get many category fields',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Fields',
		name: 'fieldScope',
		type: 'options',
		options: [
			{ name: 'All Fields', value: 'all', description: 'Regular fields first, then every table’s columns' },
			{ name: 'Columns of One Table', value: 'table' },
			{ name: 'Regular Fields', value: 'regular', description: 'Fields outside tables' },
		],
		default: 'all',
	},
	{ ...categoryTableLocator, displayOptions: { show: { fieldScope: ['table'] } } },
	// Listed whole unless asked otherwise: Return All is on from the start here, as it always was.
	{ ...returnAllOrLimit[0], default: true },
	returnAllOrLimit[1],
	optionsCollection(),
];

/**
 * One field as an output item: DocFlow's field, with the workspace, category and (for a table's
 * column) table beside it, so the item maps straight into Category Field → Update or a sheet.
 */
function fieldJson(workspaceId: string, categoryId: string, field: CategoryField, table?: CategoryTable): IDataObject {
	return {
		workspace_id: workspaceId,
		category_id: categoryId,
		table_id: table ? String(table.id) : null,
		table_name: table ? table.name : null,
		...field,
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const scope = this.getNodeParameter('fieldScope', itemIndex, 'all') as string;
			return {
				...readCategory(this, itemIndex),
				scope,
				tableId: scope === 'table' ? readId(this, 'tableId', itemIndex, 'Table', { locator: true }) : undefined,
				limit: limitFrom(this, itemIndex),
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId, categoryId }) => ({ workspace_id: workspaceId, category_id: categoryId }),
		run: async ({ workspaceId, categoryId, scope, tableId, limit, options }, itemIndex) => {
			// fields/list has no pages: it returns every field at once; Limit applies here.
			const list = await fieldsOf(this, { workspaceId, categoryId, itemIndex, retry: retrySettingsFrom(options) });
			const rows: IDataObject[] = [];
			if (scope !== 'table') rows.push(...list.fields.map((field) => fieldJson(workspaceId, categoryId, field)));
			if (scope === 'table') {
				const table = list.tables.find((t) => String(t.id) === tableId);
				if (!table) throw tableNotFound(this.getNode(), tableId ?? '', categoryId, itemIndex);
				rows.push(...(table.fields ?? []).map((field) => fieldJson(workspaceId, categoryId, field, table)));
			} else if (scope === 'all') {
				for (const table of list.tables) {
					rows.push(...(table.fields ?? []).map((field) => fieldJson(workspaceId, categoryId, field, table)));
				}
			}
			return rows.slice(0, limit).map((json) => outputItem(json, itemIndex));
		},
	});
}
