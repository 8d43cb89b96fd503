import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireGroup, requireRuleRepo } from '../../helpers/reviewLookups';
import { nameParameter, readName, readRepoRef, ruleGroupLocator, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { REVIEW_LIMITS } from '../../transport/api.types';
import { updateRuleGroup } from '../../transport/endpoints/reviewRules';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Update',
	description: 'Rename a rule group',
	action: 'Update a rule group',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	ruleGroupLocator,
	nameParameter('e.g. Amounts', `The group’s new name, at most ${REVIEW_LIMITS.groupNameMaxLength} characters`),
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			groupId: readId(this, 'ruleGroup', itemIndex, 'Rule Group', { locator: true }),
			name: readName(this, 'name', itemIndex, 'Name', REVIEW_LIMITS.groupNameMaxLength),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId, groupId }) => ({ workspace_id: workspaceId, repo_id: repoId, group_id: groupId }),
		run: async ({ workspaceId, repoId, groupId, name, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const group = requireGroup(this, await requireRuleRepo(this, workspaceId, repoId, call), groupId, itemIndex);
			// Setting the same name again changes nothing, so a lost answer is simply sent again.
			await updateRuleGroup(this, { workspaceId, groupId, name }, call);
			return [
				{
					json: { workspace_id: workspaceId, repo_id: repoId, group_id: groupId, name, previous_name: group.name ?? null },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
