import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireRuleRepo, ruleRepoListed } from '../../helpers/reviewLookups';
import { readRepoRef, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { deleteRuleRepo } from '../../transport/endpoints/reviewRules';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Delete',
	description: 'Delete a rule repository with all its rule groups and rules',
	action: 'Delete a rule repository',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Deleting a rule repository also deletes all its rule groups and rules',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	workspaceLocator,
	ruleRepositoryLocator,
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId }) => ({ workspace_id: workspaceId, repo_id: repoId }),
		run: async ({ workspaceId, repoId, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const repo = await requireRuleRepo(this, workspaceId, repoId, call);
			// After a lost answer: gone from the list means deleted; still listed, send it again.
			await deleteRuleRepo(this, { workspaceId, repoId }, call, async () =>
				(await ruleRepoListed(this, workspaceId, repoId, call)) ? 'resend' : 'received',
			);
			return [
				{
					json: { workspace_id: workspaceId, repo_id: repoId, name: repo.name ?? null, deleted: true },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
