import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteCategorySamples, listCategorySamples } from '../../transport/endpoints/categorySample';
import { itemError } from '../../transport/errors';
import { categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { knownOf, readCategoryRef, sampleLocator } from './parameters';
import { explainRefusal } from './refusals';

export const option = {
	name: 'Delete',
	description: 'Remove a sample from a file category',
	action: 'Delete a sample from a category',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{ ...sampleLocator, description: 'The sample to delete. Deleting cannot be undone.' },
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readCategoryRef(this, itemIndex),
			sampleId: readId(this, 'sampleId', itemIndex, 'Sample', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: (target) => ({ ...knownOf(target), sample_id: target.sampleId }),
		run: async (target, itemIndex) => {
			const { categoryId, sampleId } = target;
			const retry = retrySettingsFrom(target.options);
			const isThere = async () =>
				(await listCategorySamples(this, target, { itemIndex, retry })).some((s) => String(s.sample_id) === sampleId);
			try {
				// Looked up first: a sample that is not there gets a message that says so, whatever
				// DocFlow would answer to deleting it.
				if (!(await isThere())) {
					throw itemError(this.getNode(), `Category ${categoryId} has no sample ${sampleId}`, {
						itemIndex,
						description:
							'It may have been deleted already, or belong to another category. Category Sample → Get Many lists the category’s samples with their IDs.',
					});
				}
				await deleteCategorySamples(
					this,
					{ ...target, sampleIds: [sampleId] },
					{ itemIndex, retry },
					// The answer got lost: gone means deleted; still there means DocFlow did not do it.
					async (lost) => {
						const stillThere = await isThere().catch((error: Error) => {
							throw itemError(this.getNode(), `Sample ${sampleId} may have been deleted — check category ${categoryId}`, {
								itemIndex,
								description: `DocFlow’s answer to the delete got lost (${lost.message}), and listing the category’s samples to check failed as well (${error.message}). Look at the category with Category Sample → Get Many.`,
							});
						});
						return stillThere ? 'resend' : 'received';
					},
				);
			} catch (error) {
				throw explainRefusal(error, target);
			}
			return [
				{
					json: { workspace_id: target.workspaceId, category_id: categoryId, sample_id: sampleId, deleted: true },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
