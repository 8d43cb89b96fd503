import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listAllCategories } from '../../transport/endpoints/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { runPerItem } from '../runPerItem';
import { outputItem } from './outputItem';

export const option = {
	name: 'Get Many',
	description: 'List the file categories of a workspace',
	action: 'Get many categories',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	// Listed whole unless asked otherwise: Return All is on from the start here, as it always was.
	{ ...returnAllOrLimit[0], default: true },
	returnAllOrLimit[1],
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
	optionsCollection(),
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
				limit: limitFrom(this, itemIndex),
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
