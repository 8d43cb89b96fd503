import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findReviewTask, requireReviewTask } from '../../helpers/reviewLookups';
import { reviewTaskIdParameter } from '../../helpers/reviewParameters';
import { deleteReviewTask } from '../../transport/endpoints/reviewTasks';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Delete',
	description: 'Delete a review task and its results',
	action: 'Delete a review task',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	reviewTaskIdParameter,
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
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
			// After a lost answer: DocFlow no longer finding the task means deleted; else send again.
			await deleteReviewTask(this, { workspaceId, taskId }, call, async () =>
				(await findReviewTask(this, workspaceId, taskId, call)).task ? 'resend' : 'received',
			);
			return [
				{
					json: { workspace_id: workspaceId, task_id: taskId, task_name: task.task_name ?? null, deleted: true },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
