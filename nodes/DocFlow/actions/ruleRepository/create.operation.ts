import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ReviewCreations } from '../../helpers/reviewCreations';
import type { Existing } from '../../helpers/reviewCreations';
import { nameParameter, readName } from '../../helpers/reviewParameters';
import { REVIEW_LIMITS } from '../../transport/api.types';
import type { ReviewRuleRepo } from '../../transport/api.types';
import { createRuleRepo, listAllRuleRepos } from '../../transport/endpoints/reviewRules';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Create',
	description: 'Create a rule repository, the set of review rules a review task applies',
	action: 'Create a rule repository',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	nameParameter('e.g. Invoice checks', `Name of the new rule repository, at most ${REVIEW_LIMITS.repoNameMaxLength} characters`),
	optionsCollection(),
];

const listed = (repos: ReviewRuleRepo[]): Existing[] =>
	repos.map((repo) => ({ id: String(repo.repo_id), name: String(repo.name ?? '').trim() }));

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const creations = new ReviewCreations();
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			name: readName(this, 'name', itemIndex, 'Name', REVIEW_LIMITS.repoNameMaxLength),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, name }) => ({ workspace_id: workspaceId, name }),
		run: async ({ workspaceId, name, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const current = async () => listed(await listAllRuleRepos(this, workspaceId, call));
			const repoId = await creations.create({
				scope: workspaceId,
				name,
				before: await current(),
				current,
				send: async (verify) => {
					const answer = await createRuleRepo(this, { workspaceId, name }, call, verify);
					return answer ? { id: answer.repo_id } : undefined;
				},
				cannotTell: (reason) =>
					itemError(
						this.getNode(),
						`Rule repository “${name}” may have been created — check the rule repositories of workspace ${workspaceId}`,
						{
							itemIndex,
							description: `DocFlow’s answer got lost and ${reason}, so the node did not send the create again (that could make a second one). Look with Rule Repository → Get Many, and create it again only if it is not there.`,
						},
					),
			});
			return [{ json: { workspace_id: workspaceId, repo_id: repoId, name }, pairedItem: { item: itemIndex } }];
		},
	});
}
