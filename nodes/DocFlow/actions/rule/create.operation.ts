import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ReviewCreations } from '../../helpers/reviewCreations';
import type { Existing } from '../../helpers/reviewCreations';
import { findGroup, requireGroup, requireRuleRepo, rulesOf } from '../../helpers/reviewLookups';
import { nameParameter, readRepoRef, ruleGroupLocator, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import type { ReviewRuleGroup } from '../../transport/api.types';
import { createRule } from '../../transport/endpoints/reviewRules';
import type { RuleProperties } from '../../transport/endpoints/reviewRules';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { optionalRuleFields, optionalRuleProperties, promptField, readText } from './parameters';

export const option = {
	name: 'Create',
	description: 'Create a review rule in a rule group',
	action: 'Create a review rule',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	ruleGroupLocator,
	nameParameter('e.g. Amount in range', 'Name of the new rule, shown beside its verdict in review results'),
	{ ...promptField, required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical(optionalRuleFields),
	},
	optionsCollection(),
];

const rulesListed = (group: ReviewRuleGroup | undefined): Existing[] =>
	(group ? rulesOf(group) : []).map((rule) => ({ id: String(rule.rule_id), name: String(rule.name ?? '').trim() }));

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const creations = new ReviewCreations();
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const groupId = readId(this, 'ruleGroup', itemIndex, 'Rule Group', { locator: true });
			const properties: RuleProperties = {
				group_id: groupId,
				name: readText(this, this.getNodeParameter('name', itemIndex, ''), itemIndex, 'Name'),
				prompt: readText(this, this.getNodeParameter('prompt', itemIndex, ''), itemIndex, 'Prompt'),
				...optionalRuleProperties(this, this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, itemIndex),
			};
			return {
				...readRepoRef(this, itemIndex),
				groupId,
				properties,
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId, repoId, groupId, properties }) => ({
			workspace_id: workspaceId,
			repo_id: repoId,
			group_id: groupId,
			name: properties.name,
		}),
		run: async ({ workspaceId, repoId, groupId, properties, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			// Also the check that the repository and the group exist, before anything is sent.
			const group = requireGroup(this, await requireRuleRepo(this, workspaceId, repoId, call), groupId, itemIndex);
			const name = properties.name as string;
			const ruleId = await creations.create({
				scope: `${workspaceId}/${repoId}/${groupId}`,
				name,
				before: rulesListed(group),
				current: async () =>
					rulesListed(findGroup(await requireRuleRepo(this, workspaceId, repoId, call), groupId)),
				send: async (verify) => {
					const answer = await createRule(this, { workspaceId, repoId, properties }, call, verify);
					return answer ? { id: answer.rule_id } : undefined;
				},
				cannotTell: (reason) =>
					itemError(this.getNode(), `Rule “${name}” may have been created — check rule group ${groupId} of rule repository ${repoId}`, {
						itemIndex,
						description: `DocFlow’s answer got lost and ${reason}, so the node did not send the create again (that could make a second one). Look with Rule Repository → Get, and create it again only if it is not there.`,
					}),
			});
			return [
				{
					json: { workspace_id: workspaceId, repo_id: repoId, rule_id: ruleId, ...properties },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
