import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryDetails } from '../../transport/api.types';
import { deleteCategories, listAllCategories } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import { categoryLocator, readCategory } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { retrySettingsFrom } from '../parameters/requestOptions';
import { untilGone } from './addsAndDeletes';
import { SeenInGroup, passing, runGrouped, sendPassed } from './batches';
import type { Outcomes } from './batches';
import { categoryNotFound, mayHaveBeen } from './lookups';
import { batchedOptions, deletedAlready } from './perCategory';
import type { CategoryRequest } from './perCategory';

export const option = {
	name: 'Delete',
	description: 'Delete a category with its fields, tables and samples',
	action: 'Delete a category',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		...categoryLocator,
		description: 'The category to delete. Its fields, tables and sample documents go with it.',
	},
	batchedOptions,
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<CategoryRequest>(this, {
		prepare: async (itemIndex) => {
			const { workspaceId, categoryId } = readCategory(this, itemIndex);
			const earlier = seen.claim(workspaceId, categoryId, itemIndex);
			if (earlier !== undefined) {
				const { message, description } = deletedAlready('category', categoryId, earlier);
				throw itemError(node, message, { itemIndex, description });
			}
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return { workspaceId, categoryId, retry: retrySettingsFrom(options) };
		},
		known: ({ workspaceId, categoryId }) => ({ workspace_id: workspaceId, category_id: categoryId }),
		// One category/delete per workspace (the spec takes a list of IDs).
		groupOf: ({ workspaceId }) => workspaceId,
		chunkSize: CATEGORY_LIMITS.itemsPerRequest,
		send: async (members) => {
			const { workspaceId, retry } = members[0].prepared;
			const outcomes: Outcomes = new Map();
			const list = async () => await listAllCategories(this, { workspaceId, enabled: 'all' }, { retry });
			// Deleting what is not there is an input error of that item only; checking first also
			// tells, after a lost answer, which categories the request took away.
			const before = new Map<string, CategoryDetails>((await list()).map((c) => [String(c.id), c]));
			const passed = passing(node, outcomes, members, (m) =>
				before.has(m.prepared.categoryId)
					? undefined
					: categoryNotFound(node, workspaceId, m.prepared.categoryId, m.itemIndex),
			);
			await sendPassed(this, outcomes, passed, async (entries) => {
				const gone = untilGone(
					entries,
					(m) => m.prepared.categoryId,
					async () => (await list()).map((c) => String(c.id)),
					(ids) =>
						mayHaveBeen(
							node,
							`Categories ${ids.join(', ')} may have been deleted`,
							`Check the categories of workspace ${workspaceId} (Category → Get Many); delete those still there.`,
						),
				);
				await deleteCategories(this, { workspaceId, categoryIds: gone.ids, retry }, gone.verify);
				return (m) => ({
					workspace_id: workspaceId,
					category_id: m.prepared.categoryId,
					name: before.get(m.prepared.categoryId)?.name ?? '',
					deleted: true,
				});
			});
			return outcomes;
		},
	});
}
