import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findReviewTask, requireReviewTask, requireRuleInTask, reviewTaskNotFound } from '../../helpers/reviewLookups';
import {
	reviewTaskIdParameter,
	reviewWaitOptions,
	reviewWaitRequestFrom,
	reviewWaitToggle,
} from '../../helpers/reviewParameters';
import {
	findReviewRuleOutcome,
	isFinalReviewStatus,
	reviewStatusName,
	reviewStatusWord,
} from '../../helpers/reviewSimplify';
import { replaceReceiptsWithReviews } from '../../helpers/reviewWait';
import type { TrackedReview } from '../../helpers/reviewWait';
import { retryReviewRule } from '../../transport/endpoints/reviewTasks';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Retry Rule',
	description: 'Review one rule of a review task again, e.g. one that failed or was edited',
	action: 'Retry one rule of a review task',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	reviewTaskIdParameter,
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
	...reviewWaitToggle(false),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([...reviewWaitOptions, ...requestOptions]),
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const trackedByItem = new Map<number, TrackedReview>();
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			taskId: readId(this, 'reviewTaskId', itemIndex, 'Review Task ID'),
			ruleId: readId(this, 'rule', itemIndex, 'Rule', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, taskId, ruleId }) => ({ workspace_id: workspaceId, task_id: taskId, rule_id: ruleId }),
		run: async ({ workspaceId, taskId, ruleId, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const task = await requireReviewTask(this, workspaceId, taskId, call);
			const { outcome } = requireRuleInTask(this, task, ruleId, itemIndex);
			if (!isFinalReviewStatus(outcome.review_result)) {
				throw itemError(
					this.getNode(),
					`Rule “${outcome.rule_name}” of review task ${taskId} is still being reviewed (${reviewStatusName(outcome.review_result)}); only a finished rule can be retried`,
					{ itemIndex, description: 'Wait for its verdict (Review Task → Get Result), then retry it.' },
				);
			}
			const retriedAt = Date.now();
			// After a lost answer: the rule reviewing again means the retry arrived; finished means it
			// may have arrived and already run, so the item fails saying so rather than reviewing twice.
			await retryReviewRule(this, { workspaceId, taskId, ruleId }, call, async () => {
				const { task: now, refusal } = await findReviewTask(this, workspaceId, taskId, call);
				if (!now) throw reviewTaskNotFound(this, workspaceId, taskId, itemIndex, refusal);
				const rule = findReviewRuleOutcome(now, ruleId)?.outcome;
				if (rule && !isFinalReviewStatus(rule.review_result)) return 'received';
				throw itemError(this.getNode(), `The retry of rule “${outcome.rule_name}” in review task ${taskId} may have been applied: DocFlow’s answer got lost`, {
					itemIndex,
					description: `DocFlow shows the rule as ${rule ? reviewStatusName(rule.review_result) : 'gone'}, which a retry that already ran looks like too, so the node did not send it again (the rule would be reviewed twice). Check it with Review Task → Get Result; retry again only if its verdict is unchanged.`,
				});
			});
			trackedByItem.set(itemIndex, { itemIndex, workspaceId, taskId, retriedAt });
			return [
				{
					json: {
						workspace_id: workspaceId,
						task_id: taskId,
						rule_id: ruleId,
						rule_name: outcome.rule_name ?? null,
						previous_verdict: reviewStatusWord(outcome.review_result),
						retried: true,
					},
					pairedItem: { item: itemIndex },
				},
			];
		},
		finish: async (outputByItem) => {
			const wait = reviewWaitRequestFrom(this);
			if (wait) await replaceReceiptsWithReviews(this, trackedByItem, outputByItem, wait);
		},
	});
}
