import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireRuleRepo } from '../../helpers/reviewLookups';
import { readRepoRef, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { simplifyRuleRepo } from '../../helpers/reviewSimplify';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
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
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
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
