import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findGroup, requireGroup, requireRuleRepo, rulesOf } from '../../helpers/reviewLookups';
import { readRepoId, ruleGroupLocator, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { deleteRuleGroup } from '../../transport/endpoints/reviewRules';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
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
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			repoId: readRepoId(this, itemIndex),
			groupId: readId(this, 'ruleGroup', itemIndex, 'Rule Group', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId, groupId }) => ({ workspace_id: workspaceId, repo_id: repoId, group_id: groupId }),
		run: async ({ workspaceId, repoId, groupId, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const group = requireGroup(this, await requireRuleRepo(this, workspaceId, repoId, call), groupId, itemIndex);
			// After a lost answer: gone from the repository means deleted; still there, send it again.
			await deleteRuleGroup(this, { workspaceId, groupId }, call, async () =>
				findGroup(await requireRuleRepo(this, workspaceId, repoId, call), groupId) ? 'resend' : 'received',
			);
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
