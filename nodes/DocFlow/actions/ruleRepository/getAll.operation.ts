import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { simplifyRuleRepo } from '../../helpers/reviewSimplify';
import { listAllRuleRepos } from '../../transport/endpoints/reviewRules';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { simplifyRepoToggle } from './simplify';

export const option = {
	name: 'Get Many',
	description: 'List the rule repositories of a workspace, with their rule groups and rules',
	action: 'Get many rule repositories',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
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
			limit: (this.getNodeParameter('returnAll', itemIndex, false) as boolean)
				? undefined
				: (this.getNodeParameter('limit', itemIndex, 50) as number),
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
