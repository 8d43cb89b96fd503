import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireRuleRepo } from '../../helpers/reviewLookups';
import { readRepoId, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { simplifyRuleRepo } from '../../helpers/reviewSimplify';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { simplifyRepoToggle } from './simplify';

export const option = {
	name: 'Get',
	description: 'Get a rule repository with its rule groups and rules',
	action: 'Get a rule repository',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	simplifyRepoToggle,
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
			simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId }) => ({ workspace_id: workspaceId, repo_id: repoId }),
		run: async ({ workspaceId, repoId, simplify, options }, itemIndex) => {
			const repo = await requireRuleRepo(this, workspaceId, repoId, { itemIndex, retry: retrySettingsFrom(options) });
			const json = simplify ? simplifyRuleRepo(repo, workspaceId) : (repo as IDataObject);
			return [{ json, pairedItem: { item: itemIndex } }];
		},
	});
}
