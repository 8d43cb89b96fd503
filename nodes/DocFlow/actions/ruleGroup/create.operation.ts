import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ReviewCreations } from '../../helpers/reviewCreations';
import type { Existing } from '../../helpers/reviewCreations';
import { groupsOf, requireRuleRepo } from '../../helpers/reviewLookups';
import { nameParameter, readName, readRepoRef, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { REVIEW_LIMITS } from '../../transport/api.types';
import type { ReviewRuleRepo } from '../../transport/api.types';
import { createRuleGroup } from '../../transport/endpoints/reviewRules';
import { itemError } from '../../transport/errors';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Create',
	description: 'Create a rule group in a rule repository',
	action: 'Create a rule group',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	nameParameter('e.g. Amounts and dates', `Name of the new rule group, at most ${REVIEW_LIMITS.groupNameMaxLength} characters`),
	optionsCollection(),
];

const groupsListed = (repo: ReviewRuleRepo): Existing[] =>
	groupsOf(repo).map((group) => ({ id: String(group.group_id), name: String(group.name ?? '').trim() }));

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const creations = new ReviewCreations();
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			name: readName(this, 'name', itemIndex, 'Name', REVIEW_LIMITS.groupNameMaxLength),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId, name }) => ({ workspace_id: workspaceId, repo_id: repoId, name }),
		run: async ({ workspaceId, repoId, name, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			// Also the check that the repository exists, before anything is sent.
			const repo = await requireRuleRepo(this, workspaceId, repoId, call);
			const groupId = await creations.create({
				scope: `${workspaceId}/${repoId}`,
				name,
				before: groupsListed(repo),
				current: async () => groupsListed(await requireRuleRepo(this, workspaceId, repoId, call)),
				send: async (verify) => {
					const answer = await createRuleGroup(this, { workspaceId, repoId, name }, call, verify);
					return answer ? { id: answer.group_id } : undefined;
				},
				cannotTell: (reason) =>
					itemError(
						this.getNode(),
						`Rule group “${name}” may have been created — check the groups of rule repository ${repoId}`,
						{
							itemIndex,
							description: `DocFlow’s answer got lost and ${reason}, so the node did not send the create again (that could make a second one). Look with Rule Repository → Get, and create it again only if it is not there.`,
						},
					),
			});
			return [
				{
					json: { workspace_id: workspaceId, repo_id: repoId, group_id: groupId, name },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
