import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findReviewTask, requireReviewTask, reviewTaskNotFound } from '../../helpers/reviewLookups';
import {
	reviewTaskIdParameter,
	reviewWaitOptions,
	reviewWaitRequestFrom,
	reviewWaitToggle,
} from '../../helpers/reviewParameters';
import { isFinalReviewStatus, reviewStatusName, reviewStatusWord } from '../../helpers/reviewSimplify';
import { replaceReceiptsWithReviews } from '../../helpers/reviewWait';
import type { TrackedReview } from '../../helpers/reviewWait';
import { retryReviewTask } from '../../transport/endpoints/reviewTasks';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Retry',
	description: 'Review every rule of a finished review task again, e.g. after its rules changed',
	action: 'Retry a review task',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	reviewTaskIdParameter,
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
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		run: async ({ workspaceId, taskId, options }, itemIndex) => {
			const call = { itemIndex, retry: retrySettingsFrom(options) };
			const task = await requireReviewTask(this, workspaceId, taskId, call);
			if (!isFinalReviewStatus(task.status)) {
				throw itemError(
					this.getNode(),
					`Review task ${taskId} is still being reviewed (${reviewStatusName(task.status)}); only a finished review can be retried`,
					{ itemIndex, description: 'Wait for its verdict (Review Task → Get Result), then retry it.' },
				);
			}
			const retriedAt = Date.now();
			// After a lost answer: reviewing again means the retry arrived; finished means it may
			// have arrived and already run, so the item fails saying so rather than reviewing twice.
			await retryReviewTask(this, { workspaceId, taskId }, call, async () => {
				const { task: now, refusal } = await findReviewTask(this, workspaceId, taskId, call);
				if (!now) throw reviewTaskNotFound(this, workspaceId, taskId, itemIndex, refusal);
				if (!isFinalReviewStatus(now.status)) return 'received';
				throw itemError(this.getNode(), `The retry of review task ${taskId} may have been applied: DocFlow’s answer got lost`, {
					itemIndex,
					description: `DocFlow shows the task as ${reviewStatusName(now.status)}, which a retry that already ran looks like too, so the node did not send it again (the documents would be reviewed twice). Check it with Review Task → Get Result; retry again only if its verdict is unchanged.`,
				});
			});
			trackedByItem.set(itemIndex, { itemIndex, workspaceId, taskId, retriedAt });
			return [
				{
					json: {
						workspace_id: workspaceId,
						task_id: taskId,
						task_name: task.task_name ?? null,
						previous_status: reviewStatusWord(task.status),
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
