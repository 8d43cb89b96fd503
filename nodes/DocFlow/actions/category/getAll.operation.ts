import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listAllCategories } from '../../transport/endpoints/category';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { outputItem } from './lookups';

export const option = {
	name: 'Get Many',
	description: 'List the file categories of a workspace',
	action: 'Get many categories',
};

export const description: INodeProperties[] = [
	workspaceLocator,
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
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Disabled', value: '0' },
					{ name: 'Draft', value: '2' },
					{ name: 'Enabled', value: '1', description: 'Categories DocFlow classifies documents into' },
				],
				default: 'all',
				description: 'Only categories in this state. Without this filter, categories in every state.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([...requestOptions]),
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const status = String(filters.status ?? 'all');
			return {
				workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
				// DocFlow lists only enabled categories unless asked otherwise; Get Many means all of them.
				enabled: (['all', '0', '1', '2'].includes(status) ? status : 'all') as 'all' | '0' | '1' | '2',
				limit: (this.getNodeParameter('returnAll', itemIndex, true) as boolean)
					? undefined
					: (this.getNodeParameter('limit', itemIndex, 50) as number),
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId }) => ({ workspace_id: workspaceId }),
		run: async ({ workspaceId, enabled, limit, options }, itemIndex) => {
			const categories = await listAllCategories(
				this,
				{ workspaceId, enabled, limit },
				{ itemIndex, retry: retrySettingsFrom(options) },
			);
			return categories.map((category) => outputItem({ workspace_id: workspaceId, ...category }, itemIndex));
		},
	});
}
