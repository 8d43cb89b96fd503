import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireGroup, requireRule, requireRuleRepo } from '../../helpers/reviewLookups';
import { readRepoRef, ruleLocator, ruleRepositoryLocator } from '../../helpers/reviewParameters';
import { updateRule } from '../../transport/endpoints/reviewRules';
import type { RuleProperties } from '../../transport/endpoints/reviewRules';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { optionalRuleProperties, readText, updateRuleFields } from './parameters';

export const option = {
	name: 'Update',
	description: 'Change a review rule’s name, prompt, categories, risk level or group',
	action: 'Update a review rule',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	ruleLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: alphabetical(updateRuleFields),
	},
	optionsCollection(),
];

/** What the user changes, in the API's names; checked before anything is sent. */
function readChanges(ctx: IExecuteFunctions, itemIndex: number): RuleProperties {
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: RuleProperties = optionalRuleProperties(ctx, fields, itemIndex);
	if (fields.name !== undefined) changes.name = readText(ctx, fields.name, itemIndex, 'Name');
	if (fields.prompt !== undefined) changes.prompt = readText(ctx, fields.prompt, itemIndex, 'Prompt');
	if (fields.groupId !== undefined) changes.group_id = readText(ctx, fields.groupId, itemIndex, 'Move to Rule Group');
	if (Object.keys(changes).length === 0) {
		throw itemError(ctx.getNode(), 'Nothing to update: add a field under Update Fields', {
			itemIndex,
			description: 'Add the name, prompt, categories, risk level, referenced fields or group the rule should have.',
		});
	}
	return changes;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			...readRepoRef(this, itemIndex),
			ruleId: readId(this, 'rule', itemIndex, 'Rule', { locator: true }),
			changes: readChanges(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, repoId, ruleId }) => ({ workspace_id: workspaceId, repo_id: repoId, rule_id: ruleId }),
		run: async ({ workspaceId, repoId, ruleId, changes, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const repo = await requireRuleRepo(this, workspaceId, repoId, call);
			const { group, rule } = requireRule(this, repo, ruleId, itemIndex);
			if (changes.group_id !== undefined) requireGroup(this, repo, changes.group_id, itemIndex);
			// The whole rule goes out, the unchanged properties as DocFlow has them: right whether
			// DocFlow's update replaces the rule or only what it is given, and the same values
			// again when a lost answer makes the node resend it.
			const properties: RuleProperties = {
				group_id: String(group.group_id),
				name: rule.name,
				prompt: rule.prompt,
				category_ids: rule.category_ids ?? [],
				risk_level: rule.risk_level,
				referenced_fields: (rule.referenced_fields ?? []) as IDataObject[],
				...changes,
			};
			for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];
			await updateRule(this, { workspaceId, ruleId, properties }, call);
			return [
				{
					json: { workspace_id: workspaceId, repo_id: repoId, rule_id: ruleId, ...properties },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
