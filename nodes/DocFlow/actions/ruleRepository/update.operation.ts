import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireRuleRepo } from '../../helpers/reviewLookups';
import { nameParameter, readName, readRepoRef, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { REVIEW_LIMITS } from '../../transport/api.types';
import { updateRuleRepo } from '../../transport/endpoints/reviewRules';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Update',
	description: 'Rename a rule repository',
	action: 'Update a rule repository',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	nameParameter('e.g. Invoice checks 2025', `The repository’s new name, at most ${REVIEW_LIMITS.repoNameMaxLength} characters`),
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			name: readName(this, 'name', itemIndex, 'Name', REVIEW_LIMITS.repoNameMaxLength),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId }) => ({ workspace_id: workspaceId, repo_id: repoId }),
		run: async ({ workspaceId, repoId, name, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const before = await requireRuleRepo(this, workspaceId, repoId, call);
			// Setting the same name again changes nothing, so a lost answer is simply sent again.
			await updateRuleRepo(this, { workspaceId, repoId, name }, call);
			return [
				{
					json: { workspace_id: workspaceId, repo_id: repoId, name, previous_name: before.name ?? null },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
