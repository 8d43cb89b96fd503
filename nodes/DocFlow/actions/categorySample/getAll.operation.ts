import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listCategorySamples } from '../../transport/endpoints/categorySample';
import { categoryLocator } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { runPerItem } from '../runPerItem';
import { knownOf, readCategoryRef } from './parameters';
import { explainRefusal } from './refusals';

export const option = {
	name: 'Get Many',
	description: 'List the samples of a file category',
	action: 'Get many category samples',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	...returnAllOrLimit,
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readCategoryRef(this, itemIndex),
			limit: limitFrom(this, itemIndex),
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
