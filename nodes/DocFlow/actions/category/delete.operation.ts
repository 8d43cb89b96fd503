import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CATEGORY_LIMITS } from '../../transport/api.types';
import type { CategoryDetails } from '../../transport/api.types';
import { deleteCategories, listAllCategories } from '../../transport/endpoints/category';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryLocator } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { SeenInGroup, failEach, runGrouped, sendable } from './batches';
import type { Outcomes } from './batches';
import { categoryNotFound, mayHaveBeen, single } from './lookups';

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical(requestOptions.filter((o) => o.name !== 'batching')),
	},
];

interface PreparedDelete {
	workspaceId: string;
	categoryId: string;
	retry: Partial<RetrySettings>;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const seen = new SeenInGroup();
	return await runGrouped<PreparedDelete>(this, {
		prepare: async (itemIndex) => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const categoryId = readId(this, 'categoryId', itemIndex, 'Category', { locator: true });
			const earlier = seen.claim(workspaceId, categoryId, itemIndex);
			if (earlier !== undefined) {
				throw itemError(node, `Category ${categoryId} is deleted by item ${earlier} already`, {
					itemIndex,
					description:
						'Each category can be deleted once; remove the repeated item (e.g. with a Remove Duplicates node).',
				});
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
			for (const m of members) {
				if (!before.has(m.prepared.categoryId)) {
					outcomes.set(m.itemIndex, categoryNotFound(node, workspaceId, m.prepared.categoryId, m.itemIndex));
				}
			}
			let pending = sendable(this, outcomes, members, (m) => m.itemIndex);
			if (pending.length > 0) {
				const deleting = [...pending];
				try {
					await deleteCategories(
						this,
						{ workspaceId, categoryIds: () => pending.map((m) => m.prepared.categoryId), retry },
						async () => {
							let now: Set<string>;
							try {
								now = new Set((await list()).map((c) => String(c.id)));
							} catch {
								throw mayHaveBeen(
									node,
									`Categories ${pending.map((m) => m.prepared.categoryId).join(', ')} may have been deleted`,
									`Check the categories of workspace ${workspaceId} (Category → Get Many); delete those still there.`,
								);
							}
							// Gone means done; only those still there go again.
							pending = pending.filter((m) => now.has(m.prepared.categoryId));
							return pending.length === 0 ? 'received' : 'resend';
						},
					);
				} catch (error) {
					failEach(node, outcomes, error, deleting);
					return outcomes;
				}
				for (const m of deleting) {
					const category = before.get(m.prepared.categoryId);
					outcomes.set(
						m.itemIndex,
						single(
							{
								workspace_id: workspaceId,
								category_id: m.prepared.categoryId,
								name: category?.name ?? '',
								deleted: true,
							},
							m.itemIndex,
						),
					);
				}
			}
			return outcomes;
		},
	});
}
