import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isFinalReviewStatus, reviewStatusName, reviewStatusWord } from '../../helpers/reviewSimplify';
import { retryReviewTask } from '../../transport/endpoints/reviewTasks';
import { itemError } from '../../transport/errors';
import { retryDescription, runRetries } from './runRetry';

export const option = {
	name: 'Retry',
	description: 'Review every rule of a finished review task again, e.g. after its rules changed',
	action: 'Retry a review task',
};

export const description: INodeProperties[] = retryDescription([]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runRetries(this, {
		prepare: (_itemIndex, target) => target,
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		retry: (task, { workspaceId, taskId }, itemIndex) => {
			if (!isFinalReviewStatus(task.status)) {
				throw itemError(
					this.getNode(),
					`Review task ${taskId} is still being reviewed (${reviewStatusName(task.status)}); only a finished review can be retried`,
					{ itemIndex, description: 'Wait for its verdict (Review Task → Get Result), then retry it.' },
				);
			}
			return {
				receipt: { task_name: task.task_name ?? null, previous_status: reviewStatusWord(task.status) },
				send: async (call, verify) => await retryReviewTask(this, { workspaceId, taskId }, call, verify),
				// Reviewing again means the retry arrived.
				arrived: (now) => {
					if (!isFinalReviewStatus(now.status)) return 'received';
					throw itemError(this.getNode(), `The retry of review task ${taskId} may have been applied: DocFlow’s answer got lost`, {
						itemIndex,
						description: `DocFlow shows the task as ${reviewStatusName(now.status)}, which a retry that already ran looks like too, so the node did not send it again (the documents would be reviewed twice). Check it with Review Task → Get Result; retry again only if its verdict is unchanged.`,
					});
				},
			};
		},
	});
}
