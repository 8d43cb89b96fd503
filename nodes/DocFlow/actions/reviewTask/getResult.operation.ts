import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requireReviewTask } from '../../helpers/reviewLookups';
import { includeTaskDetailUrlOption, reviewTaskIdParameter, simplifyVerdictToggle } from '../../helpers/reviewParameters';
import { simplifyReviewResult } from '../../helpers/reviewSimplify';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Get Result',
	description: 'Get a review task’s status and every rule’s verdict and reasoning',
	action: 'Get a review task result',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	reviewTaskIdParameter,
	simplifyVerdictToggle,
	optionsCollection([includeTaskDetailUrlOption]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			taskId: readId(this, 'reviewTaskId', itemIndex, 'Review Task ID'),
			simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		run: async ({ workspaceId, taskId, simplify, options }, itemIndex) => {
			const result = await requireReviewTask(this, workspaceId, taskId, {
				itemIndex,
				retry: retrySettingsFrom(options),
				withTaskDetailUrl: options.includeTaskDetailUrl === true,
			});
			const json = simplify ? simplifyReviewResult(result, workspaceId) : (result as unknown as IDataObject);
			return [{ json, pairedItem: { item: itemIndex } }];
		},
	});
}
