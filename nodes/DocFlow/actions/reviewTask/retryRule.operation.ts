import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireRuleInTask } from '../../helpers/reviewLookups';
import {
	findReviewRuleOutcome,
	isFinalReviewStatus,
	reviewStatusName,
	reviewStatusWord,
} from '../../helpers/reviewSimplify';
import { retryReviewRule } from '../../transport/endpoints/reviewTasks';
import { itemError } from '../../transport/errors';
import { readId } from '../parameters/ids';
import { retryDescription, runRetries } from './runRetry';

export const option = {
	name: 'Retry Rule',
	description: 'Review one rule of a review task again, e.g. one that failed or was edited',
	action: 'Retry one rule of a review task',
};

export const description: INodeProperties[] = retryDescription([
	{
		displayName: 'Rule',
		name: 'rule',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The rule of this review task to review again',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a rule of the review task…',
				typeOptions: { searchListMethod: 'searchReviewTaskRules', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 31415926',
				hint: 'Get Result (Simplify off: groups[].review_tasks[].rule_id; on: rules[].rule_id) shows the task’s rules',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runRetries(this, {
		prepare: (itemIndex, target) => ({ ...target, ruleId: readId(this, 'rule', itemIndex, 'Rule', { locator: true }) }),
		known: ({ workspaceId, taskId, ruleId }) => ({ workspace_id: workspaceId, task_id: taskId, rule_id: ruleId }),
		retry: (task, { workspaceId, taskId, ruleId }, itemIndex) => {
			const { outcome } = requireRuleInTask(this, task, ruleId, itemIndex);
			if (!isFinalReviewStatus(outcome.review_result)) {
				throw itemError(
					this.getNode(),
					`Rule “${outcome.rule_name}” of review task ${taskId} is still being reviewed (${reviewStatusName(outcome.review_result)}); only a finished rule can be retried`,
					{ itemIndex, description: 'Wait for its verdict (Review Task → Get Result), then retry it.' },
				);
			}
			return {
				receipt: {
					rule_id: ruleId,
					rule_name: outcome.rule_name ?? null,
					previous_verdict: reviewStatusWord(outcome.review_result),
				},
				send: async (call, verify) => await retryReviewRule(this, { workspaceId, taskId, ruleId }, call, verify),
				// The rule reviewing again means the retry arrived.
				arrived: (now) => {
					const rule = findReviewRuleOutcome(now, ruleId)?.outcome;
					if (rule && !isFinalReviewStatus(rule.review_result)) return 'received';
					throw itemError(this.getNode(), `The retry of rule “${outcome.rule_name}” in review task ${taskId} may have been applied: DocFlow’s answer got lost`, {
						itemIndex,
						description: `DocFlow shows the rule as ${rule ? reviewStatusName(rule.review_result) : 'gone'}, which a retry that already ran looks like too, so the node did not send it again (the rule would be reviewed twice). Check it with Review Task → Get Result; retry again only if its verdict is unchanged.`,
					});
				},
			};
		},
	});
}
