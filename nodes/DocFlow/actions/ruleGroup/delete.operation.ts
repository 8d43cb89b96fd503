import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findGroup, goneFromRepo, requireGroup, requireRuleRepo, rulesOf } from '../../helpers/reviewLookups';
import { readRepoRef, ruleGroupLocator, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { deleteRuleGroup } from '../../transport/endpoints/reviewRules';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Delete',
	description: 'Delete a rule group with all its rules',
	action: 'Delete a rule group',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Deleting a rule group also deletes all its rules',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	workspaceLocator,
	ruleRepositoryLocator,
	ruleGroupLocator,
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			groupId: readId(this, 'ruleGroup', itemIndex, 'Rule Group', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId, groupId }) => ({ workspace_id: workspaceId, repo_id: repoId, group_id: groupId }),
		run: async ({ workspaceId, repoId, groupId, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const group = requireGroup(this, await requireRuleRepo(this, workspaceId, repoId, call), groupId, itemIndex);
			const verify = goneFromRepo(this, workspaceId, repoId, call, (repo) => findGroup(repo, groupId));
			await deleteRuleGroup(this, { workspaceId, groupId }, call, verify);
			return [
				{
					json: {
						workspace_id: workspaceId,
						repo_id: repoId,
						group_id: groupId,
						name: group.name ?? null,
						deleted_rules: rulesOf(group).length,
						deleted: true,
					},
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
