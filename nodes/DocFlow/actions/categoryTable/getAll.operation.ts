import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CategoryTable } from '../../transport/api.types';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { fieldsOf, outputItem, tablesOf } from '../category/lookups';

export const option = {
	name: 'Get Many',
	description: 'List the tables of a category',
	action: 'Get many category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([
			{
				displayName: 'Include Columns',
				name: 'includeColumns',
				type: 'boolean',
				default: false,
				description: 'Whether to add each table’s columns (its fields) as `fields`',
			},
			...requestOptions,
		]),
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			categoryId: readId(this, 'categoryId', itemIndex, 'Category', { locator: true }),
			limit: (this.getNodeParameter('returnAll', itemIndex, true) as boolean)
				? undefined
				: (this.getNodeParameter('limit', itemIndex, 50) as number),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, categoryId }) => ({ workspace_id: workspaceId, category_id: categoryId }),
		run: async ({ workspaceId, categoryId, limit, options }, itemIndex) => {
			const call = { workspaceId, categoryId, itemIndex, retry: retrySettingsFrom(options) };
			// tables/list has no columns; fields/list has every table with its columns. Neither pages.
			const tables: CategoryTable[] =
				options.includeColumns === true ? (await fieldsOf(this, call)).tables : (await tablesOf(this, call)).tables;
			return (limit === undefined ? tables : tables.slice(0, limit)).map((table) =>
				outputItem({ workspace_id: workspaceId, category_id: categoryId, ...table }, itemIndex),
			);
		},
	});
}
