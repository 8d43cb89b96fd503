import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { simplifyRuleRepo } from '../../helpers/reviewSimplify';
import { listAllRuleRepos } from '../../transport/endpoints/reviewRules';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { runPerItem } from '../runPerItem';
import { simplifyRepoToggle } from './simplify';

export const option = {
	name: 'Get Many',
	description: 'List the rule repositories of a workspace, with their rule groups and rules',
	action: 'Get many rule repositories',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	...returnAllOrLimit,
	simplifyRepoToggle,
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			limit: limitFrom(this, itemIndex),
			simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId }) => ({ workspace_id: workspaceId }),
		run: async ({ workspaceId, limit, simplify, options }, itemIndex) => {
			const repos = await listAllRuleRepos(this, workspaceId, {
				itemIndex,
				limit,
				retry: retrySettingsFrom(options),
			});
			return repos.map((repo) => ({
				json: simplify ? simplifyRuleRepo(repo, workspaceId) : (repo as IDataObject),
				pairedItem: { item: itemIndex },
			}));
		},
	});
}
