import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findRule, goneFromRepo, requireRule, requireRuleRepo } from '../../helpers/reviewLookups';
import { readRepoRef, ruleLocator, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { deleteRule } from '../../transport/endpoints/reviewRules';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Delete',
	description: 'Delete a review rule',
	action: 'Delete a review rule',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	ruleLocator,
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			ruleId: readId(this, 'rule', itemIndex, 'Rule', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId, ruleId }) => ({ workspace_id: workspaceId, repo_id: repoId, rule_id: ruleId }),
		run: async ({ workspaceId, repoId, ruleId, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const { group, rule } = requireRule(this, await requireRuleRepo(this, workspaceId, repoId, call), ruleId, itemIndex);
			const verify = goneFromRepo(this, workspaceId, repoId, call, (repo) => findRule(repo, ruleId));
			await deleteRule(this, { workspaceId, ruleId }, call, verify);
			return [
				{
					json: {
						workspace_id: workspaceId,
						repo_id: repoId,
						group_id: String(group.group_id),
						rule_id: ruleId,
						name: rule.name ?? null,
						deleted: true,
					},
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
