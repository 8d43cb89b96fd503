import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { withItemIndex } from '../../helpers/itemErrors';
import { isCancellation } from '../../transport/cancellation';
import { deleteWorkspaces, getWorkspace } from '../../transport/endpoints/workspace';
import { DocflowApiError, itemError } from '../../transport/errors';
import type { Verification } from '../../transport/sendVerified';
import type { RetrySettings } from '../../transport/request';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { workspaceItem } from './outputItem';

export const option = {
	name: 'Delete',
	description: 'Delete a workspace and everything in it',
	action: 'Delete a workspace',
};

export const description: INodeProperties[] = [
	{
		...workspaceLocator,
		description:
			'The workspace to delete. DocFlow deletes everything in it too: its documents, file categories and review rule repositories.',
	},
	optionsCollection(),
];

/** DocFlow's answer for a workspace it does not have (or that this account cannot see). */
const NOT_FOUND_CODE = 40004;

/**
 * After a lost answer to workspace/delete: gone means the delete arrived (done); still there
 * means it did not, so it may be sent again. When the look-up fails too, the item fails with
 * what to check rather than guessing.
 */
async function checkDeleted(
	ctx: IExecuteFunctions,
	workspaceId: string,
	itemIndex: number,
	retry: Partial<RetrySettings>,
): Promise<Verification> {
	try {
		await getWorkspace(ctx, workspaceId, { itemIndex, retry });
		return 'resend';
	} catch (error) {
		if (error instanceof DocflowApiError && error.docflow.code === NOT_FOUND_CODE) return 'received';
		if (isCancellation(error)) throw withItemIndex(ctx.getNode(), error, itemIndex);
		throw itemError(ctx.getNode(), `Workspace ${workspaceId} may have been deleted: DocFlow’s answer got lost`, {
			itemIndex,
			description: `Looking the workspace up afterwards failed too (${(error as Error).message.replace(/ \[item \d+\]$/, '')}), so the node did not send the delete again. Check the workspace list in DocFlow (or run Get on workspace ${workspaceId}: “does not know this workspace” means it is gone).`,
		});
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId }) => ({ workspace_id: workspaceId }),
		run: async ({ workspaceId, options }, itemIndex) => {
			const retry = retrySettingsFrom(options);
			await deleteWorkspaces(this, [workspaceId], { itemIndex, retry }, async () =>
				await checkDeleted(this, workspaceId, itemIndex, retry),
			);
			return [workspaceItem(workspaceId, undefined, itemIndex, { deleted: true })];
		},
	});
}
