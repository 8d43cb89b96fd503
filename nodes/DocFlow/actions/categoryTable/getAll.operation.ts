import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CategoryTable } from '../../transport/api.types';
import { categoryLocator, readCategory } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { runPerItem } from '../runPerItem';
import { fieldsOf, tablesOf } from '../category/lookups';
import { outputItem } from '../category/outputItem';

export const option = {
	name: 'Get Many',
	description: 'List the tables of a category',
	action: 'Get many category tables',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	// Listed whole unless asked otherwise: Return All is on from the start here, as it always was.
	{ ...returnAllOrLimit[0], default: true },
	returnAllOrLimit[1],
	optionsCollection([
		{
			displayName: 'Include Columns',
			name: 'includeColumns',
			type: 'boolean',
			default: false,
			description: 'Whether to add each table’s columns (its fields) as `fields`',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readCategory(this, itemIndex),
			limit: limitFrom(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, categoryId }) => ({ workspace_id: workspaceId, category_id: categoryId }),
		run: async ({ workspaceId, categoryId, limit, options }, itemIndex) => {
			const call = { workspaceId, categoryId, itemIndex, retry: retrySettingsFrom(options) };
			// tables/list has no columns; fields/list has every table with its columns. Neither pages.
			const tables: CategoryTable[] =
				options.includeColumns === true ? (await fieldsOf(this, call)).tables : (await tablesOf(this, call)).tables;
			return tables.slice(0, limit).map((table) =>
				outputItem({ workspace_id: workspaceId, category_id: categoryId, ...table }, itemIndex),
			);
		},
	});
}
