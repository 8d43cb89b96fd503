import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listCategorySamples } from '../../transport/endpoints/categorySample';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { explainRefusal, knownOf, readCategoryRef, readLimit } from './shared';

export const option = {
	name: 'Get Many',
	description: 'List the samples of a file category',
	action: 'Get many category samples',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
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
		options: alphabetical([...requestOptions]),
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readCategoryRef(this, itemIndex),
			limit: (this.getNodeParameter('returnAll', itemIndex, false) as boolean) ? undefined : readLimit(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: knownOf,
		run: async (list, itemIndex) => {
			const samples = await listCategorySamples(this, list, {
				itemIndex,
				limit: list.limit,
				retry: retrySettingsFrom(list.options),
			}).catch((error: Error) => {
				throw explainRefusal(error, list);
			});
			// The sample as DocFlow lists it, with where it belongs, so a later Download or Delete can map all three.
			return samples.map((sample) => ({
				json: { ...sample, sample_id: String(sample.sample_id), workspace_id: list.workspaceId, category_id: list.categoryId },
				pairedItem: { item: itemIndex },
			}));
		},
	});
}
